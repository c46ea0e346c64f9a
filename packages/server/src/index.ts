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
export { buildImsOpenApiDocument, renderImsOpenApi } from './ims/ims-openapi.js';
export { buildConsoleOpenApiDocument, renderConsoleOpenApi } from './console-api/console-openapi.js';
export {
  composeConsole,
  type ComposeConsoleOptions,
  type ConsoleComposition,
  type ConsoleConfig,
} from './console-api/compose-console.js';
export { consoleApiRoutes, type ConsoleApiDeps } from './console-api/console-api-routes.js';
