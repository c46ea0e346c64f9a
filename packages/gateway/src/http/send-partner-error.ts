import { toPartnerApiError } from '@pims/contracts';
import type { FastifyReply } from 'fastify';

/** `WWW-Authenticate` on a request without any token (RFC 6750 §3.1: no error code then). */
export const MISSING_TOKEN_CHALLENGE = 'Bearer realm="partner-api"';

/** Renders an error in the Partner API dialect `{"code","message"}` with `X-Request-Id`. */
export function sendPartnerError(reply: FastifyReply, error: unknown, requestId: string): FastifyReply {
  const rendered = toPartnerApiError(error, { requestId });
  if (rendered.body.code === '4117') rendered.headers['WWW-Authenticate'] = MISSING_TOKEN_CHALLENGE;
  return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
}
