import type { FastifyInstance } from 'fastify';
import { sendPartnerError } from '../http/send-partner-error.js';
import { forwardRequest, withoutHopByHop, type ForwardOptions } from './forward-request.js';

/**
 * A catch-all route that proxies every authenticated request to the upstream. Bodies are not parsed: the request
 * stream goes upstream as it arrives, and the upstream's response streams back.
 */
export function registerProxyRoutes(
  app: FastifyInstance,
  options: ForwardOptions,
  done: (err?: Error) => void,
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.all('/*', async (request, reply) => {
    const result = await forwardRequest(request.raw, request.raw.headers, options);
    if (!result.ok) {
      request.log.warn({ err: result.error.cause ?? result.error.code }, 'gateway: upstream failed');
      return sendPartnerError(reply, result.error, request.partnerRequestId);
    }
    const { response } = result;
    const headers = withoutHopByHop(response.headers);
    headers['x-request-id'] = request.partnerRequestId;
    return reply
      .code(response.statusCode ?? 502)
      .headers(headers)
      .send(response);
  });
  done();
}
