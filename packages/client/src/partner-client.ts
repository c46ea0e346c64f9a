import { randomUUID } from 'node:crypto';
import { systemClock } from './clock.js';
import type { Environment } from './environments.js';
import { ConfigurationError, PartnerApiError } from './errors.js';
import { fetchWithTimeout } from './ims-request.js';
import { createProxyAwareFetch } from './proxy.js';
import { parseRetryAfter } from './retry.js';
import { TokenManager, type GetTokenOptions, type TokenManagerOptions } from './token-manager.js';

/**
 * Options of {@link createPartnerClient}: the token options plus Partner API ones.
 *
 * @example
 * ```ts
 * const options: PartnerClientOptions = {
 *   environment: 'sandbox',
 *   credentials: loadWorkspaceCredentials('workspace.json', { privateKeyFile: 'private.key' }),
 * };
 * ```
 */
export interface PartnerClientOptions extends TokenManagerOptions {
  /** Timeout of one Partner API request, body included; default 30 s. */
  apiTimeoutMs?: number | undefined;
}

/**
 * `fetch` options plus `json` (serialised, with `Content-Type: application/json`) and a correlation id.
 *
 * @example
 * ```ts
 * await client.fetch('/v3/customers', { method: 'POST', json: { name: 'ACME' }, correlationId: 'order-42' });
 * ```
 */
export interface PartnerRequestInit extends Omit<RequestInit, 'body'> {
  body?: string | URLSearchParams | Blob | ArrayBuffer | Uint8Array | null | undefined;
  json?: unknown;
  /** `X-Correlation-Id`; default: a new UUID per call. */
  correlationId?: string | undefined;
}

/**
 * What {@link PartnerClient.ping} found.
 *
 * @example
 * ```ts
 * const { body, latencyMs } = await client.ping(); // "pong", 42
 * ```
 */
export interface PingResult {
  status: number;
  body: string;
  requestId: string | undefined;
  latencyMs: number;
}

/**
 * A Partner API client bound to one credential and environment.
 *
 * @example
 * ```ts
 * const client = createPartnerClient({ environment: 'sandbox', credentials: credentialsFromEnv() });
 * const customers = await client.request<{ items: unknown[] }>('/v3/customers');
 * ```
 */
export interface PartnerClient {
  readonly environment: Environment;
  readonly tokens: TokenManager;
  /** The bearer token, cached and refreshed. */
  getAccessToken(options?: GetTokenOptions): Promise<string>;
  /**
   * Calls the Partner API with `Authorization`, `X-Api-Key`, `X-Request-Id`, `X-Correlation-Id` and JSON headers;
   * on a 401 with code 4116 gets a new token and retries once. Returns the raw `Response`.
   */
  fetch(path: string, init?: PartnerRequestInit): Promise<Response>;
  /** Like `fetch`, but parses a JSON answer and throws {@link PartnerApiError} for any non-2xx. */
  request<T = unknown>(path: string, init?: PartnerRequestInit): Promise<T>;
  /** `GET /ping`, without a token unless `authenticated`; throws {@link PartnerApiError} unless 2xx. */
  ping(options?: { authenticated?: boolean; signal?: AbortSignal }): Promise<PingResult>;
}

function urlFor(apiUrl: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
    throw new ConfigurationError(
      'Partner API paths must be relative (the token is only sent to the API URL)',
    );
  }
  return `${apiUrl}/${path.replace(/^\/+/, '')}`;
}

async function errorFrom(
  method: string,
  path: string,
  response: Response,
  now: number,
): Promise<PartnerApiError> {
  let apiCode: string | undefined;
  let apiMessage: string | undefined;
  try {
    const json = (await response.json()) as { code?: unknown; message?: unknown };
    if (typeof json.code === 'string' || typeof json.code === 'number') apiCode = String(json.code);
    if (typeof json.message === 'string') apiMessage = json.message.slice(0, 300);
  } catch {
    // Not the documented {code, message} form: the status alone tells the story.
  }
  return new PartnerApiError({
    method,
    path,
    status: response.status,
    apiCode,
    apiMessage,
    requestId: response.headers.get('x-request-id') ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
  });
}

async function isInvalidTokenAnswer(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    const json = (await response.clone().json()) as { code?: unknown };
    return String(json.code) === '4116';
  } catch {
    return false;
  }
}

/**
 * Creates a Partner API client: validates the credentials and environment at once (before any network call),
 * then gets tokens lazily.
 *
 * @example
 * ```ts
 * import { createPartnerClient, credentialsFromEnv } from '@pims/client';
 *
 * const client = createPartnerClient({ environment: 'sandbox', credentials: credentialsFromEnv() });
 * console.log((await client.ping()).body);                            // "pong"
 * const res = await client.fetch('/v3/customers', { method: 'POST', json: { name: 'ACME' } });
 * ```
 */
export function createPartnerClient(options: PartnerClientOptions): PartnerClient {
  const fetchImpl = options.fetch ?? createProxyAwareFetch();
  const tokens = new TokenManager({ ...options, fetch: fetchImpl });
  const clock = options.clock ?? systemClock;
  const { apiUrl } = tokens.environment;
  const timeoutMs = options.apiTimeoutMs ?? 30_000;

  const send = async (path: string, init: PartnerRequestInit, bearer: string | undefined) => {
    const { json, correlationId, body, ...rest } = init;
    const headers = new Headers(init.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (!headers.has('x-request-id')) headers.set('x-request-id', randomUUID());
    headers.set('x-correlation-id', correlationId ?? headers.get('x-correlation-id') ?? randomUUID());
    if (bearer !== undefined) {
      headers.set('authorization', `Bearer ${bearer}`);
      headers.set('x-api-key', tokens.credentials.clientId);
    }
    const payload = json !== undefined ? JSON.stringify(json) : body;
    const url = urlFor(apiUrl, path);
    return fetchWithTimeout(
      fetchImpl,
      url,
      { ...rest, headers, body: payload ?? null },
      timeoutMs,
      init.signal ?? undefined,
    );
  };

  const authorizedFetch = async (path: string, init: PartnerRequestInit = {}): Promise<Response> => {
    const bearer = await tokens.getAccessToken({ signal: init.signal ?? undefined });
    const response = await send(path, init, bearer);
    if (!(await isInvalidTokenAnswer(response))) return response;
    await tokens.invalidate(bearer);
    return send(path, init, await tokens.getAccessToken({ signal: init.signal ?? undefined }));
  };

  return {
    environment: tokens.environment,
    tokens,
    getAccessToken: (o) => tokens.getAccessToken(o),
    fetch: authorizedFetch,
    async request<T>(path: string, init: PartnerRequestInit = {}): Promise<T> {
      const response = await authorizedFetch(path, init);
      if (!response.ok) throw await errorFrom(init.method ?? 'GET', path, response, clock.now());
      const text = await response.text();
      try {
        return (text === '' ? undefined : JSON.parse(text)) as T;
      } catch {
        throw new PartnerApiError({
          method: init.method ?? 'GET',
          path,
          status: response.status,
          apiMessage: 'the answer is not JSON',
        });
      }
    },
    async ping(o = {}) {
      const started = clock.now();
      const init: PartnerRequestInit = {
        method: 'GET',
        headers: { accept: 'text/plain, application/json' },
        signal: o.signal,
      };
      const response = o.authenticated
        ? await authorizedFetch('/ping', init)
        : await send('/ping', init, undefined);
      if (!response.ok) throw await errorFrom('GET', '/ping', response, clock.now());
      return {
        status: response.status,
        body: (await response.text()).trim(),
        requestId: response.headers.get('x-request-id') ?? undefined,
        latencyMs: clock.now() - started,
      };
    },
  };
}
