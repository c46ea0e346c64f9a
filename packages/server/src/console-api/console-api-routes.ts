/**
 * The console REST API route group (`/api/v1/*`), in its own encapsulated context: JSON bodies only (415 otherwise),
 * zod validation, the console error dialect, `Cache-Control: no-store`, sessions and CSRF checks, no CORS headers.
 */
import { pimsError, toConsoleError } from '@pims/contracts';
import { InvalidCursor, UniqueViolation, type ConsoleServices } from '@pims/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { consoleErrorFromFastify } from '../http/fastify-errors.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { zodValidatorCompiler } from './define-route.js';
import { registerDeveloperRoutes } from './developer-routes.js';
import { registerOrgRoutes } from './org-routes.js';
import { registerRequestAuth } from './request-auth.js';
import { sessionCookieFor } from './session-cookie.js';

export interface ConsoleApiDeps {
  services: ConsoleServices;
  /** Body cap of the console API (bytes; certificate uploads are the largest bodies). */
  maxBodyBytes?: number;
}

function consoleError(error: FastifyError) {
  if (error instanceof UniqueViolation) return pimsError('console.conflict');
  if (error instanceof InvalidCursor)
    return pimsError('console.validation_failed', {
      details: [{ field: 'querystring.cursor', message: 'is not valid' }],
    });
  return consoleErrorFromFastify(error) ?? error;
}

export function consoleApiRoutes(deps: ConsoleApiDeps): (app: FastifyInstance) => Promise<void> {
  const consoleUrl = deps.services.deps.settings.consoleUrl;
  const cookie = sessionCookieFor(consoleUrl);
  const allowedOrigin = new URL(consoleUrl).origin;
  return async (app) => {
    await app.register(
      (api, _options, done) => {
        api.removeAllContentTypeParsers();
        api.addContentTypeParser(
          'application/json',
          { parseAs: 'string', bodyLimit: deps.maxBodyBytes ?? 64 * 1024 },
          api.getDefaultJsonParser('error', 'error'),
        );
        api.setValidatorCompiler(zodValidatorCompiler);
        api.setErrorHandler((error: FastifyError, request, reply) => {
          const rendered = toConsoleError(consoleError(error));
          if (rendered.status >= 500) request.log.error({ err: error }, 'console request failed');
          return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
        });
        registerRequestAuth(api, { services: deps.services, cookie, allowedOrigin });
        registerAuthRoutes(api, { services: deps.services, cookie });
        registerOrgRoutes(api, deps.services);
        registerDeveloperRoutes(api, deps.services);
        registerAuditRoutes(api, deps.services);
        done();
      },
      { prefix: '/api/v1' },
    );
  };
}
