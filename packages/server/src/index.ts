export { buildApp, type AppOptions } from './app.js';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.js';
