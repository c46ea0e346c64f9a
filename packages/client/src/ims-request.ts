import type { Clock } from './clock.js';
import { AbortedError, ImsError, NetworkError, PimsError, TimeoutError } from './errors.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry, type RetryPolicy } from './retry.js';

/**
 * The `fetch` the SDK calls: the global one, undici's, or a test double.
 *
 * @example
 * ```ts
 * const logging: FetchLike = (url, init) => { console.log(init?.method, String(url)); return fetch(url, init); };
 * ```
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * An access token as the SDK keeps it. Times are milliseconds since the epoch.
 *
 * @example
 * ```ts
 * const token: AccessToken = await client.tokens.getToken();
 * console.log(new Date(token.expiresAt));
 * ```
 */
export interface AccessToken {
  accessToken: string;
  tokenType: 'bearer';
  /** When the IMS said it expires. */
  expiresAt: number;
  /** When it was obtained (local clock). */
  obtainedAt: number;
}

/**
 * Options every IMS token request takes.
 *
 * @example
 * ```ts
 * const common: ImsRequestOptions = { imsUrl: 'https://ims-na1.adobelogin.com', timeoutMs: 5_000 };
 * ```
 */
export interface ImsRequestOptions {
  /** IMS base URL, e.g. `https://ims-na1.adobelogin.com`. */
  imsUrl: string;
  /** Default: the global fetch (proxy-aware when `HTTPS_PROXY` is set, see `createProxyAwareFetch`). */
  fetch?: FetchLike | undefined;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number | undefined;
  /** Cancels the request, retries included. */
  signal?: AbortSignal | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  clock?: Clock | undefined;
  /** For the backoff jitter; default `Math.random`. */
  random?: (() => number) | undefined;
}

/**
 * Default per-attempt timeout of IMS requests (10 s).
 *
 * @example
 * ```ts
 * createPartnerClient({ environment, credentials, timeoutMs: DEFAULT_IMS_TIMEOUT_MS / 2 });
 * ```
 */
export const DEFAULT_IMS_TIMEOUT_MS = 10_000;

/**
 * Runs one fetch under a per-attempt timeout and the caller's signal, mapping failures to SDK errors. The timeout
 * also covers reading the body, which the caller does.
 */
export async function fetchWithTimeout(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const attempt = startAttempt(timeoutMs, signal);
  try {
    return await fetchImpl(url, { ...init, signal: attempt.signal });
  } catch (error) {
    throw toRequestError(error, url, timeoutMs, signal, attempt.timeout);
  } finally {
    attempt.release();
  }
}

/**
 * The signals of one attempt: the caller's and the per-attempt timeout. `AbortSignal.timeout` does not keep the
 * process alive, and fetch can be left waiting with no live handle at all (a server that drops the connection before
 * answering): a CLI would then exit mid-request (code 13) instead of timing out. A timer of the same length holds the
 * process until the attempt settles; `release()` ends it.
 */
function startAttempt(timeoutMs: number, signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new AbortedError(undefined, signal.reason);
  const timeout = AbortSignal.timeout(timeoutMs);
  const hold = setTimeout(() => undefined, timeoutMs);
  return {
    timeout,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    release: () => clearTimeout(hold),
  };
}

/** Maps a failed fetch or body read to AbortedError, TimeoutError or NetworkError (SDK errors pass through). */
export function toRequestError(
  error: unknown,
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  timeout: AbortSignal,
): PimsError {
  if (signal?.aborted) return new AbortedError(undefined, signal.reason);
  if (timeout.aborted)
    return new TimeoutError(`${new URL(url).pathname} took longer than ${timeoutMs} ms`, timeoutMs);
  if (error instanceof PimsError) return error;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : undefined);
  const reason = typeof detail === 'string' ? detail : 'request failed';
  return new NetworkError(`${new URL(url).origin} could not be reached (${reason})`, error);
}

async function fetchText(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ response: Response; body: string }> {
  const attempt = startAttempt(timeoutMs, signal);
  try {
    const response = await fetchImpl(url, { ...init, signal: attempt.signal });
    return { response, body: await response.text() };
  } catch (error) {
    throw toRequestError(error, url, timeoutMs, signal, attempt.timeout);
  } finally {
    attempt.release();
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const short = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, 300) : undefined;

function imsErrorFrom(endpoint: string, response: Response, body: string, now: number): ImsError {
  const json = parseJson(body);
  const status = response.status;
  return new ImsError(status >= 500 || status === 429 ? 'ims_unavailable' : 'ims_rejected', endpoint, {
    status,
    error: short(json?.error),
    errorDescription: short(json?.error_description),
    debugId: response.headers.get('x-debug-id') ?? undefined,
    requestId: response.headers.get('x-request-id') ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
  });
}

/**
 * POSTs a urlencoded form to an IMS token endpoint with retries, and parses the token answer.
 * `expiresInUnit` is `ms` for the JWT exchange and `s` for OAuth server-to-server.
 */
export async function requestImsToken(
  options: ImsRequestOptions & {
    path: string;
    expiresInUnit: 'ms' | 's';
    form: () => Promise<Record<string, string>>;
  },
  defaults: { clock: Clock; fetch: FetchLike },
): Promise<AccessToken> {
  const clock = options.clock ?? defaults.clock;
  const fetchImpl = options.fetch ?? defaults.fetch;
  const url = `${options.imsUrl.replace(/\/+$/, '')}${options.path}`;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return withRetry(
    async () => {
      const body = new URLSearchParams(await options.form());
      const { response, body: text } = await fetchText(
        fetchImpl,
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
        },
        options.timeoutMs ?? DEFAULT_IMS_TIMEOUT_MS,
        options.signal,
      );
      if (!response.ok) throw imsErrorFrom(options.path, response, text, clock.now());
      return parseToken(options.path, response, text, options.expiresInUnit, clock.now());
    },
    { policy, clock, random: options.random, signal: options.signal },
  );
}

function parseToken(
  path: string,
  response: Response,
  text: string,
  unit: 'ms' | 's',
  now: number,
): AccessToken {
  const json = parseJson(text);
  const accessToken = json?.access_token;
  const expiresIn = typeof json?.expires_in === 'string' ? Number(json.expires_in) : json?.expires_in;
  const tokenType = typeof json?.token_type === 'string' ? json.token_type.toLowerCase() : 'bearer';
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    typeof expiresIn !== 'number' ||
    !(expiresIn > 0)
  ) {
    throw new ImsError('ims_bad_response', path, {
      status: response.status,
      error: 'invalid_response',
      errorDescription: 'the answer has no access_token or expires_in',
      debugId: response.headers.get('x-debug-id') ?? undefined,
      requestId: response.headers.get('x-request-id') ?? undefined,
    });
  }
  if (tokenType !== 'bearer') {
    throw new ImsError('ims_bad_response', path, {
      status: response.status,
      error: 'unsupported_token_type',
    });
  }
  return {
    accessToken,
    tokenType: 'bearer',
    expiresAt: now + (unit === 'ms' ? expiresIn : expiresIn * 1000),
    obtainedAt: now,
  };
}
