export { buildApp, type AppOptions } from './app.js';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.js';
export {
  composeIms,
  imsSettingsFromConfig,
  type ComposeImsOptions,
  type ImsComposition,
  type ImsConfig,
} from './compose.js';
export { imsRoutes, type ImsRoutesDeps } from './ims/ims-routes.js';
