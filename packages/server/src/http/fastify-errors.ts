import { pimsError, type PimsError } from '@pims/contracts';
import type { FastifyError } from 'fastify';

/**
 * Fastify's own errors (body parsing, size limits, schema validation) as catalogue errors of the console dialect.
 * Returns undefined for anything else, which then renders as the fixed 500.
 */
export function consoleErrorFromFastify(error: FastifyError): PimsError | undefined {
  if (error.validation) {
    const details = error.validation.map((issue) => ({
      field: fieldName(error.validationContext, issue.instancePath, issue.params),
      message: issue.message ?? 'is invalid',
    }));
    return pimsError('console.validation_failed', { details });
  }
  switch (error.statusCode) {
    case 413:
      return pimsError('console.payload_too_large');
    case 414:
      return pimsError('console.uri_too_long');
    case 415:
      return pimsError('console.unsupported_media_type');
    case 400:
      return pimsError('console.validation_failed', {
        details: [{ field: 'body', message: 'is not valid JSON' }],
      });
    default:
      return undefined;
  }
}

function fieldName(
  context: string | undefined,
  instancePath: string,
  params: Record<string, unknown>,
): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  const leaf = [path, missing ?? extra].filter(Boolean).join('.');
  return [context ?? 'body', leaf].filter(Boolean).join('.');
}
