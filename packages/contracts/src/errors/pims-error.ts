import { errorCatalogue, isErrorCode, type ErrorCode } from './catalogue.js';

export interface PimsErrorOptions {
  /** Safe, structured detail for the console dialect (e.g. validation issues). Never secrets. */
  details?: unknown;
  /** Sets `Retry-After` (rate limits, temporary unavailability). */
  retryAfterSeconds?: number;
  /** The underlying error, for logs only; it is never rendered. */
  cause?: unknown;
}

/**
 * An expected error with a stable catalogue code. Its `message` is the catalogue's fixed description, so rendering it
 * can never echo input.
 */
export class PimsError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'PimsError';
  readonly code: C;
  readonly status: number;
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(code: C, options: PimsErrorOptions = {}) {
    const entry = errorCatalogue[code];
    super(entry.description, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = entry.status;
    if (options.details !== undefined) this.details = options.details;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * The one error factory.
 *
 * @example
 * throw pimsError('ims.invalid_client_secret');
 * throw pimsError('ims.rate_limited', { retryAfterSeconds: 12 });
 */
export function pimsError<C extends ErrorCode>(code: C, options: PimsErrorOptions = {}): PimsError<C> {
  return new PimsError(code, options);
}

/** True for a PimsError, also one made by another copy of this package (checked by shape, not only `instanceof`). */
export function isPimsError(value: unknown): value is PimsError {
  if (value instanceof PimsError) return true;
  if (!(value instanceof Error) || value.name !== 'PimsError') return false;
  const { code, status } = value as Error & { code?: unknown; status?: unknown };
  return isErrorCode(code) && status === errorCatalogue[code].status;
}
