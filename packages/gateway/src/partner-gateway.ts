/**
 * The Partner API gateway as a Fastify plugin. Registered on a Fastify instance it:
 * - answers `GET|HEAD /ping` and `/partnerservice/ping` with `pong` (checking the token when one is sent);
 * - authenticates every other request of that instance (DESIGN §3.4), rendering refusals as `{"code","message"}`;
 * - hands the verified caller to the route as `request.partner` and in the `X-Pims-*` request headers;
 * - with `upstream` a URL, proxies every other route there; with `upstream` a plugin, serves its routes in process.
 * `X-Request-Id` is set on every response.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { createAuthenticator, type AuthRequest, type AuthResult } from './auth/authenticator.js';
import { isOpenRequest } from './auth/open-paths.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './auth/rate-limiter.js';
import { TokenCache } from './auth/token-cache.js';
import type { VerifiedToken } from './auth/verified-token.js';
import { resolveGatewayOptions, type PartnerGatewayOptions } from './gateway-options.js';
import { partnerRequestIdOf } from './http/request-id.js';
import { sendPartnerError } from './http/send-partner-error.js';
import { createImsKeySet } from './keys/ims-key-set.js';
import { setIdentityHeaders } from './proxy/identity-headers.js';
import { registerProxyRoutes } from './proxy/proxy-routes.js';
import { createRevocationPoller } from './revocation/revocation-poller.js';

/** The verified caller of a request. */
export type PartnerIdentity = VerifiedToken;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; null on the open `/ping` routes. */
    partner: PartnerIdentity | null;
    /** This request's id, as sent back in `X-Request-Id`. */
    partnerRequestId: string;
  }
}

const PING_PATHS = ['/ping', '/partnerservice/ping'];

function pong(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.type('text/plain; charset=utf-8').send('pong');
}

async function gateway(app: FastifyInstance, pluginOptions: PartnerGatewayOptions): Promise<void> {
  const options = resolveGatewayOptions(pluginOptions);
  const logger = pluginOptions.logger ?? app.log;
  const keys = createImsKeySet({ options, logger });
  const poller = createRevocationPoller({ options, logger });
  let rateLimiter: RateLimiter | undefined;
  if (options.rateLimit !== false) {
    rateLimiter =
      options.redisUrl === undefined
        ? createMemoryRateLimiter(options.rateLimit, options.clock)
        : await createRedisRateLimiter(options.rateLimit, options.redisUrl, options.clock, logger);
  }
  await Promise.all([keys.start(), poller.start()]);
  app.addHook('onClose', async () => {
    await Promise.all([keys.stop(), poller.stop()]);
    await rateLimiter?.close();
  });

  const auth = createAuthenticator({
    issuer: options.issuer,
    imsUrl: options.imsUrl,
    maxHeaderBytes: options.maxHeaderBytes,
    maxTokenBytes: options.maxTokenBytes,
    clock: options.clock,
    keys,
    revocations: poller.list,
    cache: new TokenCache(options.tokenCacheSize),
    rateLimiter,
  });

  app.decorateRequest('partner', null);
  app.decorateRequest('partnerRequestId', '');

  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const raw = request.raw;
    const headers = raw.headers;
    const requestId = partnerRequestIdOf(raw);
    request.partnerRequestId = requestId;
    void reply.header('x-request-id', requestId);
    const rawUrl = raw.url ?? '/';
    const open = isOpenRequest(raw.method ?? 'GET', rawUrl);
    if (open && headers.authorization === undefined) return done();

    const authRequest: AuthRequest = {
      rawUrl,
      rawHeaders: raw.rawHeaders,
      authorization: headers.authorization,
      apiKey: headers['x-api-key'],
    };
    const finish = (result: AuthResult) => {
      if (!result.ok) {
        request.log.info({ reason: result.reason }, 'gateway: request refused');
        sendPartnerError(reply, result.error, requestId);
        return;
      }
      if (!open) {
        request.partner = result.token;
        setIdentityHeaders(headers, result.token, requestId);
        if (!options.forwardAuthorization) delete headers.authorization;
      }
      done();
    };
    const result = open ? auth.checkToken(authRequest) : auth.authenticate(authRequest);
    if (result instanceof Promise) {
      result.then(finish, (err: unknown) => {
        request.log.error({ err }, 'gateway: authentication failed unexpectedly');
        sendPartnerError(reply, err, requestId);
      });
    } else finish(result);
  });

  for (const url of PING_PATHS) app.route({ method: ['GET', 'HEAD'], url, handler: pong });

  const { upstream } = options;
  if (typeof upstream === 'function') await app.register(upstream);
  else if (upstream !== undefined) {
    await app.register(registerProxyRoutes, {
      upstream: new URL(upstream),
      timeoutMs: options.upstreamTimeoutMs,
      forwardAuthorization: options.forwardAuthorization,
    });
  }
}

/**
 * The gateway plugin. Its checks apply to every route of the instance it is registered on (it is not encapsulated).
 *
 * @example
 * await app.register(partnerGateway, { imsUrl: 'http://127.0.0.1:8180', upstream: 'http://127.0.0.1:9000', dataDir });
 */
export const partnerGateway = fp(gateway, { fastify: '5.x', name: '@pims/gateway' });
