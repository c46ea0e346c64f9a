/**
 * `pims credentials show FILE`, and what every partner-side command shares: the command's I/O, the environment from
 * `--env`/`--api-url`, and the credentials from `--credentials FILE` or the `PIMS_*` variables the SDK reads.
 * Only `@pims/client` is loaded here: never the server, the database or a native module.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CredentialError,
  ENVIRONMENTS,
  PartnerApiError,
  credentialsFromEnv,
  loadWorkspaceCredentials,
  readWorkspaceFile,
  resolveEnvironment,
  type Environment,
  type FetchLike,
  type ResolvedCredentials,
} from '@pims/client';

/** Where a partner-side command reads and writes; tests pass their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Data (stdout). */
  out: (text: string) => void;
  /** Progress, hints and warnings (stderr). */
  err: (text: string) => void;
  /** Default: the SDK's proxy-aware global fetch. */
  fetch?: FetchLike | undefined;
}

/** The process's own environment, stdout and stderr. */
export function processIo(): CliIo {
  return {
    env: process.env,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}

/**
 * Retries of the CLI's IMS and API requests: fewer and shorter than the SDK's defaults, so an unreachable host is
 * reported within seconds.
 */
export const CLI_RETRY = { retries: 2, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 } as const;

/** A mistake in the command line itself: exit code 1. */
export class UsageError extends Error {
  readonly code = 'usage_error';
}

export interface EnvironmentFlags {
  /** `sandbox` (default), `production`, or the base URL of a Partner IMS. */
  env?: string | undefined;
  /** The Partner API base URL (needed with `--env URL` for commands that call the API). */
  apiUrl?: string | undefined;
}

/**
 * The environment of `--env sandbox|production|URL` and `--api-url URL`. With `--env URL` and no `--api-url`, the
 * API URL is only needed by commands that call the Partner API (`needsApi`); others use the IMS URL as a stand-in.
 *
 * @example
 * environmentFromFlags({ env: 'http://127.0.0.1:8180', apiUrl: 'http://127.0.0.1:8181' }, true);
 */
export function environmentFromFlags(flags: EnvironmentFlags, needsApi: boolean): Environment {
  const env = flags.env ?? 'sandbox';
  if (env === 'sandbox' || env === 'production') {
    return resolveEnvironment({ ...ENVIRONMENTS[env], ...(flags.apiUrl ? { apiUrl: flags.apiUrl } : {}) });
  }
  if (!/^https?:\/\//i.test(env)) {
    throw new UsageError(
      `--env must be sandbox, production or an http(s) URL of a Partner IMS, not "${env}"`,
    );
  }
  if (!flags.apiUrl && needsApi) {
    throw new UsageError(
      '--api-url is required with --env URL (the Partner API base URL, e.g. http://127.0.0.1:8181)',
    );
  }
  return resolveEnvironment({ imsUrl: env, apiUrl: flags.apiUrl ?? env });
}

export interface CredentialFlags {
  /** A Developer Console workspace JSON; without it the `PIMS_*` variables are read. */
  credentials?: string | undefined;
  /** The credential's name in the file, when it holds several. */
  credential?: string | undefined;
  /** The JWT credential's private key (PEM file). */
  privateKey?: string | undefined;
  type?: 'jwt' | 'oauth' | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function credentialEntries(json: unknown): Json[] {
  const project = isObject(json) ? json.project : undefined;
  const workspace = isObject(project) ? project.workspace : undefined;
  const details = isObject(workspace) ? workspace.details : undefined;
  const list = isObject(details) ? details.credentials : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** The private key to use with a workspace file: the flag, `PIMS_PRIVATE_KEY_FILE`, or `private.key` beside the file. */
function workspaceKeyFile(file: string, flags: CredentialFlags, env: CliIo['env']): string | undefined {
  if (flags.privateKey) return flags.privateKey;
  if (env.PIMS_PRIVATE_KEY_FILE) return env.PIMS_PRIVATE_KEY_FILE;
  const beside = join(dirname(resolve(file)), 'private.key');
  return existsSync(beside) ? beside : undefined;
}

/**
 * The credentials of `--credentials FILE` (plus `--credential NAME`, `--type`, `--private-key`), or of the `PIMS_*`
 * variables. JWT is used when asked for (`--type jwt`), when a private key is given, or when the file has no OAuth
 * server-to-server credential; its key comes from `--private-key`, `PIMS_PRIVATE_KEY_FILE`, or `private.key` beside
 * the workspace file (where `pims start` writes the demo's).
 *
 * @example
 * credentialsFromFlags({ credentials: '.pims/demo/workspace.json', type: 'jwt' }, process.env);
 */
export function credentialsFromFlags(flags: CredentialFlags, env: CliIo['env']): ResolvedCredentials {
  const passphrase = env.PIMS_PRIVATE_KEY_PASSPHRASE || undefined;
  if (flags.credentials) {
    const file = flags.credentials;
    const entries = credentialEntries(readWorkspaceFile(file)).filter(
      (entry) => flags.credential === undefined || entry.name === flags.credential,
    );
    const hasOauth = entries.some((entry) => isObject(entry.oauth_server_to_server));
    const jwt =
      flags.type === 'jwt' || (flags.type === undefined && (flags.privateKey !== undefined || !hasOauth));
    const privateKeyFile = jwt ? workspaceKeyFile(file, flags, env) : undefined;
    if (jwt && privateKeyFile === undefined) {
      throw new UsageError(
        `a JWT credential needs its private key: pass --private-key FILE (there is no private.key beside ${file})`,
      );
    }
    // The SDK reads the file again: it is small, and its validation names the file and every bad field.
    return loadWorkspaceCredentials(file, {
      credential: flags.credential,
      type: jwt ? 'jwt' : 'oauth_server_to_server',
      privateKeyFile,
      passphrase,
    });
  }
  const vars: Record<string, string | undefined> = { ...env };
  if (flags.privateKey) {
    vars.PIMS_PRIVATE_KEY = undefined;
    vars.PIMS_PRIVATE_KEY_FILE = flags.privateKey;
  }
  if (flags.type === 'oauth') {
    vars.PIMS_PRIVATE_KEY = undefined;
    vars.PIMS_PRIVATE_KEY_FILE = undefined;
  }
  const credentials = credentialsFromEnv(vars);
  if (flags.type === 'jwt' && credentials.type !== 'jwt') {
    throw new UsageError(
      '--type jwt needs a private key: set PIMS_PRIVATE_KEY_FILE (or PIMS_PRIVATE_KEY) or pass --private-key',
    );
  }
  return credentials;
}

/**
 * A secret as it may be shown: a short prefix such as `p8e-` and the last four characters, e.g. `p8e-…abcd`.
 * Secrets too short to keep four characters of are shown as `****`.
 *
 * @example
 * maskSecret('p8e-Qx1-9Zz3abcd'); // "p8e-…abcd"
 */
export function maskSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret === '') return '(none)';
  if (secret.length < 12) return '****';
  const prefix = /^[A-Za-z0-9]{1,4}-/.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

const SECRET_FIELDS = new Set(['client_secret', 'client_secrets']);

function maskBlock(block: Json): Json {
  const shown: Json = {};
  for (const [key, value] of Object.entries(block)) {
    if (!SECRET_FIELDS.has(key)) shown[key] = value;
    else shown[key] = Array.isArray(value) ? value.map(maskSecret) : maskSecret(value);
  }
  return shown;
}

/**
 * The parts of a workspace file worth showing, client secrets masked.
 *
 * @example
 * describeWorkspace(JSON.parse(readFileSync('workspace.json', 'utf8'))).credentials;
 */
export function describeWorkspace(json: unknown, source = 'workspace file'): Json {
  const project = isObject(json) ? json.project : undefined;
  const org = isObject(project) ? project.org : undefined;
  if (!isObject(project) || !isObject(org)) {
    throw new CredentialError(source, [{ field: 'project.org', problem: 'is missing' }]);
  }
  return {
    org_id: org.ims_org_id,
    org_name: org.name,
    project: { id: project.id, name: project.name },
    credentials: credentialEntries(json).map((entry) => ({
      id: entry.id,
      name: entry.name,
      integration_type: entry.integration_type,
      ...(isObject(entry.jwt) ? { jwt: maskBlock(entry.jwt) } : {}),
      ...(isObject(entry.oauth_server_to_server)
        ? { oauth_server_to_server: maskBlock(entry.oauth_server_to_server) }
        : {}),
    })),
  };
}

/**
 * The error of a non-2xx Partner API answer, from its `{code, message}` body when it has one.
 *
 * @example
 * throw partnerApiErrorFrom('GET', '/ping', 503, await response.text(), response.headers.get('x-request-id'));
 */
export function partnerApiErrorFrom(
  method: string,
  path: string,
  status: number,
  body: string,
  requestId: string | null | undefined,
): PartnerApiError {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    // Not the Partner API's {code, message} form: the status says enough.
  }
  const code = isObject(answer) ? answer.code : undefined;
  const message = isObject(answer) ? answer.message : undefined;
  return new PartnerApiError({
    method,
    path,
    status,
    apiCode: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
    apiMessage: typeof message === 'string' ? message.slice(0, 300) : undefined,
    requestId: requestId ?? undefined,
  });
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(', ') || '(none)';
  if (value === undefined || value === null || value === '') return '(none)';
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/**
 * `pims credentials show FILE [--json]`: what a workspace file holds, client secrets masked (`p8e-…abcd`).
 *
 * @example
 * // $ pims credentials show .pims/demo/workspace.json
 * credentialsShowCommand('.pims/demo/workspace.json', { json: true });
 */
export function credentialsShowCommand(
  file: string,
  options: { json?: boolean | undefined },
  io: CliIo = processIo(),
): void {
  const shown: Json = {
    file: resolve(file),
    ...describeWorkspace(readWorkspaceFile(file), `workspace file ${file}`),
  };
  if (options.json) {
    io.out(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const project = shown.project as Json;
  const lines = [
    `file        ${text(shown.file)}`,
    `org         ${text(shown.org_id)}${shown.org_name ? ` (${text(shown.org_name)})` : ''}`,
    `project     ${text(project.name)} (${text(project.id)})`,
  ];
  const credentials = shown.credentials as Json[];
  if (credentials.length === 0) lines.push('credentials (none)');
  for (const credential of credentials) {
    lines.push(
      `credential  ${text(credential.name)} (${text(credential.id)}, ${text(credential.integration_type)})`,
    );
    for (const kind of ['jwt', 'oauth_server_to_server'] as const) {
      const block = credential[kind];
      if (!isObject(block)) continue;
      lines.push(`  ${kind}`);
      for (const [key, value] of Object.entries(block)) lines.push(`    ${key.padEnd(24)} ${text(value)}`);
    }
  }
  io.out(`${lines.join('\n')}\n`);
}
