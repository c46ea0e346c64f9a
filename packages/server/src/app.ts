import { pimsError, toConsoleError } from '@pims/contracts';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import { registerHealthRoutes } from './health/health-routes.js';
import { consoleErrorFromFastify } from './http/fastify-errors.js';
import { lazyChildLoggerFactory } from './http/lazy-request-logger.js';
import { requestIdFrom } from './http/request-id.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  /** Readiness: resolves when storage (and every other dependency) answers. */
  checkReady(): Promise<void>;
  /** Trust `X-Forwarded-*` from a proxy in front (PIMS_TRUST_PROXY). */
  trustProxy?: boolean;
  /** Plugins that add route groups (IMS protocol, console API…), registered in order. */
  routes?: ReadonlyArray<(app: FastifyInstance) => Promise<void> | void>;
}

/**
 * The IMS server's Fastify instance: request ids, the fixed error rendering, health routes, and the route groups the
 * composition root passes in. It does not listen; `startServer` does.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: requestIdFrom,
    childLoggerFactory: lazyChildLoggerFactory,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    // Malformed or over-long URLs are answered before routing; render them like every other error, without echoing
    // the URL back.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const rendered = toConsoleError(consoleErrorFromFastify(error) ?? error);
      void reply
        .code(rendered.status)
        .headers(rendered.headers)
        .header('x-request-id', request.id)
        .send(rendered.body);
    },
    bodyLimit: 1024 * 1024,
  });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // Anything a route group does not render itself renders in the console dialect; unexpected errors as a fixed 500.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rendered = toConsoleError(consoleErrorFromFastify(error) ?? error);
    if (rendered.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  app.setNotFoundHandler((_request, reply) => {
    const rendered = toConsoleError(pimsError('console.not_found'));
    return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });

  registerHealthRoutes(app, { checkReady: () => options.checkReady() });
  for (const register of options.routes ?? []) await app.register(register);
  await app.ready();
  return app;
}
