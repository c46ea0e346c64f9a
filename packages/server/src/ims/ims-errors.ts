/** The IMS dialect's error rendering for the `/ims/*` routes: catalogue errors, Fastify's own errors, fixed 5xx. */
import { isPimsError, pimsError, toImsError, type PimsError } from '@pims/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';

function imsErrorFrom(error: FastifyError): PimsError | FastifyError {
  if (isPimsError(error)) return error;
  if ((error as { code?: unknown }).code === 'STORAGE_UNAVAILABLE')
    return pimsError('ims.server_error', { cause: error });
  switch (error.statusCode) {
    case 413:
      return pimsError('ims.payload_too_large');
    case 415:
      return pimsError('ims.unsupported_media_type');
    case 400:
      return pimsError('ims.bad_request');
    default:
      return error;
  }
}

export function setImsErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rendered = toImsError(imsErrorFrom(error));
    if (rendered.status >= 500) request.log.error({ err: error }, 'IMS request failed');
    return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });
}

/** Headers of every token endpoint answer (RFC 6749 §5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

const imsErrorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error', 'error_description'],
} as const;

/** Response schemas of the IMS error body (`{"error","error_description"}`) for these statuses. */
export function imsErrorResponses(statuses: readonly number[]): Record<number, typeof imsErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, imsErrorBody]));
}
