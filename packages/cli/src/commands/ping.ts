/**
 * `pims ping`: `GET /ping` on the Partner API — without a token (no credentials needed), or with `--auth` through the
 * SDK, which checks the token too.
 */
import {
  NetworkError,
  TimeoutError,
  createPartnerClient,
  createProxyAwareFetch,
  type PingResult,
} from '@pims/client';
import {
  CLI_RETRY,
  credentialsFromFlags,
  environmentFromFlags,
  partnerApiErrorFrom,
  processIo,
  type CliIo,
  type CredentialFlags,
  type EnvironmentFlags,
} from './credentials.js';

export interface PingCommandOptions extends EnvironmentFlags, CredentialFlags {
  /** Send a token (credentials needed) so the gateway checks it too. */
  auth?: boolean | undefined;
  json?: boolean | undefined;
  /** Milliseconds; default 10 000. */
  timeoutMs?: number | undefined;
}

async function anonymousPing(url: string, io: CliIo, timeoutMs: number): Promise<PingResult> {
  const fetchImpl = io.fetch ?? createProxyAwareFetch();
  const started = performance.now();
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'text/plain, application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if ((err as { name?: unknown } | null)?.name === 'TimeoutError') {
      throw new TimeoutError(`GET ${url} got no answer within ${timeoutMs} ms`, timeoutMs);
    }
    const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
    throw new NetworkError(`could not reach ${url}${typeof cause === 'string' ? ` (${cause})` : ''}`, err);
  }
  const body = (await response.text()).trim();
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!response.ok) throw partnerApiErrorFrom('GET', '/ping', response.status, body, requestId);
  return { status: response.status, body, requestId, latencyMs: Math.round(performance.now() - started) };
}

/**
 * Prints the answer of `GET {api}/ping` (`pong`) on stdout and the latency on stderr; with `--json`
 * `{"url","status","body","latency_ms","request_id","authenticated"}`.
 *
 * @example
 * // $ pims ping --env http://127.0.0.1:8180 --api-url http://127.0.0.1:8181
 * await pingCommand({ env: 'http://127.0.0.1:8180', apiUrl: 'http://127.0.0.1:8181' });
 */
export async function pingCommand(options: PingCommandOptions, io: CliIo = processIo()): Promise<void> {
  const environment = environmentFromFlags(options, true);
  const url = `${environment.apiUrl}/ping`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let result: PingResult;
  if (options.auth) {
    const client = createPartnerClient({
      environment,
      credentials: credentialsFromFlags(options, io.env),
      fetch: io.fetch,
      retry: CLI_RETRY,
      timeoutMs,
      apiTimeoutMs: timeoutMs,
    });
    result = await client.ping({ authenticated: true });
  } else {
    result = await anonymousPing(url, io, timeoutMs);
  }
  io.err(
    `GET ${url} → ${result.status} in ${Math.round(result.latencyMs)} ms${options.auth ? ' (token accepted)' : ''}\n`,
  );
  if (options.json) {
    const shown = {
      url,
      status: result.status,
      body: result.body,
      latency_ms: Math.round(result.latencyMs),
      request_id: result.requestId ?? null,
      authenticated: options.auth ?? false,
    };
    io.out(`${JSON.stringify(shown, null, 2)}\n`);
  } else {
    io.out(`${result.body}\n`);
  }
}
