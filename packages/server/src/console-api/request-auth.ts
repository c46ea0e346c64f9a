/**
 * Per request: who is asking (from the session cookie) and the CSRF defence (SECURITY CON-4).
 * - A state change (anything but GET/HEAD) with an `Origin` other than the console's own, or `Sec-Fetch-Site:
 *   cross-site`, is refused.
 * - With a session it must carry `X-Pims-CSRF` equal to the session's CSRF token (bound to the session secret).
 * - Without one (login, accepting an invitation) it must still carry a non-empty `X-Pims-CSRF`: a custom header can't
 *   be sent cross-site without a CORS preflight, which this API never grants.
 */
import { pimsError } from '@pims/contracts';
import type { ConsoleContext, ConsoleServices } from '@pims/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readCookie, type SessionCookie } from './session-cookie.js';

export const CSRF_HEADER = 'x-pims-csrf';

interface RequestAuth {
  ctx: ConsoleContext;
  sessionToken: string | undefined;
}

const auth = new WeakMap<FastifyRequest, RequestAuth>();

export function contextOf(request: FastifyRequest): ConsoleContext {
  return (
    auth.get(request)?.ctx ?? {
      actor: { type: 'anonymous', id: null },
      ip: request.ip,
      requestId: request.id,
    }
  );
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return auth.get(request)?.sessionToken;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerRequestAuth(
  app: FastifyInstance,
  deps: { services: ConsoleServices; cookie: SessionCookie; allowedOrigin: string },
): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const base: ConsoleContext = {
      actor: { type: 'anonymous', id: null },
      ip: request.ip,
      requestId: request.id,
    };
    const token = readCookie(request.headers.cookie, deps.cookie.name);
    const resolved = token === undefined ? undefined : await deps.services.resolveSession(token);
    auth.set(request, {
      ctx: resolved ? { ...base, actor: resolved.actor, sessionId: resolved.session.id } : base,
      sessionToken: resolved ? token : undefined,
    });
  });

  app.addHook('preHandler', (request, _reply, done) => {
    try {
      checkRequest(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });

  function checkRequest(request: FastifyRequest): void {
    const needsSession = (request.routeOptions.config as { auth?: string }).auth !== 'none';
    const current = auth.get(request);
    if (needsSession && current?.sessionToken === undefined) throw pimsError('console.unauthenticated');
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (
      (origin !== undefined && origin !== deps.allowedOrigin) ||
      request.headers['sec-fetch-site'] === 'cross-site'
    )
      throw pimsError('console.csrf_failed');
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200)
      throw pimsError('console.csrf_failed');
    const token = current?.sessionToken;
    if (needsSession && token !== undefined && !deps.services.checkCsrfToken(token, presented))
      throw pimsError('console.csrf_failed');
  }
}
