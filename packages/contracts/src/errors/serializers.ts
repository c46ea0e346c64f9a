/**
 * One serializer per wire dialect. Each takes anything thrown and returns `{ status, headers, body }`.
 *
 * - A PimsError of the serializer's dialect (or of dialect `any`) renders with its catalogue entry.
 * - Anything else renders as the fixed 500 `internal_error` (or 503 `storage_unavailable` for an error whose `code`
 *   is `STORAGE_UNAVAILABLE`, as thrown by the storage layer); nothing of the original message, stack or SQL is used.
 *   A PimsError of another dialect is a programming error and renders the same fixed 500.
 */
import { errorCatalogue, type ErrorCode, type ErrorDialect } from './catalogue.js';
import { isPimsError } from './pims-error.js';

export interface SerializedError<Body> {
  status: number;
  headers: Record<string, string>;
  body: Body;
}

export interface ImsErrorBody {
  error: string;
  error_description: string;
}

export interface PartnerApiErrorBody {
  code: string;
  message: string;
}

export interface ConsoleErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Seconds sent in `Retry-After` on a 429 whose error did not say. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

interface Resolved {
  code: ErrorCode;
  status: number;
  description: string;
  wire: string | undefined;
  details: unknown;
  retryAfterSeconds: number | undefined;
}

function isStorageUnavailable(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'STORAGE_UNAVAILABLE'
  );
}

function resolve(err: unknown, dialect: Exclude<ErrorDialect, 'any'>): Resolved {
  if (isPimsError(err)) {
    const entry: { dialect: ErrorDialect; status: number; description: string; wire?: string } =
      errorCatalogue[err.code];
    if (entry.dialect === dialect || entry.dialect === 'any') {
      return {
        code: err.code,
        status: entry.status,
        description: entry.description,
        wire: entry.wire,
        // `any` codes (internal_error, storage_unavailable) never render details.
        details: entry.dialect === dialect ? err.details : undefined,
        retryAfterSeconds: err.retryAfterSeconds,
      };
    }
  }
  const code = isStorageUnavailable(err) ? 'storage_unavailable' : 'internal_error';
  const entry = errorCatalogue[code];
  return {
    code,
    status: entry.status,
    description: entry.description,
    wire: undefined,
    details: undefined,
    retryAfterSeconds: undefined,
  };
}

function retryHeaders(resolved: Resolved): Record<string, string> {
  if (resolved.status !== 429 && resolved.retryAfterSeconds === undefined) return {};
  const seconds = resolved.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  return { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) };
}

/** IMS OAuth dialect: `{"error","error_description"}`, always `Cache-Control: no-store`, `Pragma: no-cache`. */
export function toImsError(err: unknown): SerializedError<ImsErrorBody> {
  const resolved = resolve(err, 'ims');
  return {
    status: resolved.status,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...retryHeaders(resolved) },
    body: { error: resolved.wire ?? 'server_error', error_description: resolved.description },
  };
}

export interface PartnerApiErrorOptions {
  /** Echoed as `X-Request-Id`. */
  requestId?: string;
}

/**
 * Partner API dialect: `{"code","message"}`. A 401 adds `WWW-Authenticate: Bearer error="invalid_token"`.
 * `any` codes put their HTTP status on the wire as the code (`"500"`, `"503"`).
 */
export function toPartnerApiError(
  err: unknown,
  options: PartnerApiErrorOptions = {},
): SerializedError<PartnerApiErrorBody> {
  const resolved = resolve(err, 'partner');
  const headers: Record<string, string> = { ...retryHeaders(resolved) };
  if (resolved.status === 401) headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
  if (options.requestId !== undefined) headers['X-Request-Id'] = options.requestId;
  return {
    status: resolved.status,
    headers,
    body: { code: resolved.wire ?? String(resolved.status), message: resolved.description },
  };
}

/** Console dialect: `{"code","message","details"?}` with the catalogue code on the wire. */
export function toConsoleError(err: unknown): SerializedError<ConsoleErrorBody> {
  const resolved = resolve(err, 'console');
  const body: ConsoleErrorBody = { code: resolved.code, message: resolved.description };
  if (resolved.details !== undefined) body.details = resolved.details;
  return { status: resolved.status, headers: { ...retryHeaders(resolved) }, body };
}
