/**
 * `pims call METHOD PATH`: one authenticated Partner API request through the SDK (bearer token, `X-Api-Key`, request
 * ids, the retry-once on an invalid token), the answer's body on stdout.
 */
import { readFileSync } from 'node:fs';
import { createPartnerClient } from '@pims/client';
import {
  CLI_RETRY,
  UsageError,
  credentialsFromFlags,
  environmentFromFlags,
  partnerApiErrorFrom,
  processIo,
  type CliIo,
  type CredentialFlags,
  type EnvironmentFlags,
} from './credentials.js';

export interface CallCommandOptions extends EnvironmentFlags, CredentialFlags {
  /** A JSON body, or `@FILE` to read it from a file (`@-`: stdin). */
  data?: string | undefined;
  /** Extra request headers, `Name: value`. */
  header?: string[] | undefined;
  /** Print `{"status","request_id","body"}` instead of the bare body. */
  json?: boolean | undefined;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function bodyFrom(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  let text = data;
  if (data.startsWith('@')) {
    const file = data.slice(1);
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--data ${data}: can't be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('--data must be JSON (or @FILE holding JSON)');
  }
}

function headersFrom(list: readonly string[] | undefined): Headers {
  const headers = new Headers();
  for (const line of list ?? []) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
      throw new UsageError(`--header must be "Name: value", not "${line}"`);
    if (/^(authorization|x-api-key)$/i.test(name))
      throw new UsageError(`--header ${name}: the token and API key are added by pims`);
    headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends `METHOD PATH` to the Partner API with a token; prints the body on stdout and the status on stderr. A non-2xx
 * answer is an error (exit 1) naming the status, the Partner API code and the request id.
 *
 * @example
 * // $ pims call POST /v3/customers --data '{"name":"ACME"}' --env http://127.0.0.1:8180 --api-url http://127.0.0.1:8181
 * await callCommand('POST', '/v3/customers', { data: '{"name":"ACME"}', env: 'http://127.0.0.1:8180', apiUrl: 'http://127.0.0.1:8181' });
 */
export async function callCommand(
  method: string,
  path: string,
  options: CallCommandOptions,
  io: CliIo = processIo(),
): Promise<void> {
  const verb = method.toUpperCase();
  if (!METHODS.has(verb))
    throw new UsageError(`METHOD must be one of ${[...METHODS].join(', ')}, not "${method}"`);
  if (!path.startsWith('/'))
    throw new UsageError(`PATH must start with "/" (relative to the Partner API URL), not "${path}"`);
  const json = bodyFrom(options.data);
  const headers = headersFrom(options.header);
  const environment = environmentFromFlags(options, true);
  const client = createPartnerClient({
    environment,
    credentials: credentialsFromFlags(options, io.env),
    fetch: io.fetch,
    retry: CLI_RETRY,
  });
  const response = await client.fetch(path, {
    method: verb,
    headers,
    ...(json === undefined ? {} : { json }),
  });
  const text = await response.text();
  const requestId = response.headers.get('x-request-id') ?? undefined;
  io.err(`${verb} ${path} → ${response.status}${requestId ? ` [x-request-id ${requestId}]` : ''}\n`);
  if (options.json) {
    io.out(
      `${JSON.stringify({ status: response.status, request_id: requestId ?? null, body: parsed(text) }, null, 2)}\n`,
    );
  } else if (response.ok && text !== '') {
    io.out(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (!response.ok) throw partnerApiErrorFrom(verb, path, response.status, text, requestId);
}
