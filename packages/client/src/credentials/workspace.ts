import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CredentialError } from '../errors.js';
import { resolveCredentials, type CredentialFieldNames } from './resolve.js';
import type { Credentials, CredentialType, ResolvedCredentials } from './types.js';

/**
 * Which credential of a workspace file to use, and the private key the file doesn't hold.
 *
 * @example
 * ```ts
 * const options: WorkspaceCredentialOptions = { credential: 'Partner API', type: 'jwt', privateKeyFile: 'private.key' };
 * ```
 */
export interface WorkspaceCredentialOptions {
  /** The credential's `name` in the file; needed only when several match. */
  credential?: string | undefined;
  /** Force JWT or OAuth server-to-server. Default: JWT when a private key is given, else OAuth if present, else JWT. */
  type?: CredentialType | undefined;
  /** PEM of the JWT credential's private key, or a parsed `KeyObject`. */
  privateKey?: string | KeyObject | undefined;
  /** Path to the PEM private key (alternative to `privateKey`). */
  privateKeyFile?: string | undefined;
  passphrase?: string | undefined;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The parsed JSON of a Developer Console workspace file. An unreadable file or invalid JSON throws a
 * {@link CredentialError} naming the file.
 */
export function readWorkspaceFile(file: string): unknown {
  const source = `workspace file ${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError(
      source,
      [{ field: '(file)', problem: `can't be read (${reason})` }],
      'credential_not_found',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CredentialError(source, [{ field: '(file)', problem: 'is not valid JSON' }]);
  }
}

function readWorkspace(file: string | object): { json: unknown; source: string } {
  if (typeof file !== 'string') return { json: file, source: 'workspace object' };
  return { json: readWorkspaceFile(file), source: `workspace file ${file}` };
}

interface Candidate {
  index: number;
  name: string;
  jwt: Json | undefined;
  oauth: Json | undefined;
}

function candidatesOf(json: unknown, source: string): { orgId: unknown; list: Candidate[] } {
  const project = isObject(json) ? json.project : undefined;
  const org = isObject(project) ? project.org : undefined;
  const workspace = isObject(project) ? project.workspace : undefined;
  const details = isObject(workspace) ? workspace.details : undefined;
  const credentials = isObject(details) ? details.credentials : undefined;
  if (!Array.isArray(credentials)) {
    throw new CredentialError(source, [
      { field: 'project.workspace.details.credentials', problem: 'is missing' },
    ]);
  }
  const list = credentials.filter(isObject).map((entry, index) => ({
    index,
    name: typeof entry.name === 'string' ? entry.name : `#${index}`,
    jwt: isObject(entry.jwt) ? entry.jwt : undefined,
    oauth: isObject(entry.oauth_server_to_server) ? entry.oauth_server_to_server : undefined,
  }));
  return { orgId: isObject(org) ? org.ims_org_id : undefined, list };
}

function choose(
  list: Candidate[],
  options: WorkspaceCredentialOptions,
  source: string,
): [Candidate, CredentialType] {
  const field = 'project.workspace.details.credentials';
  const named = options.credential === undefined ? list : list.filter((c) => c.name === options.credential);
  const explicit = options.type ?? (options.privateKey || options.privateKeyFile ? 'jwt' : undefined);
  // Without a preference OAuth server-to-server wins: JWT credentials are the deprecated path.
  const wanted = explicit ?? (named.some((c) => c.oauth) ? 'oauth_server_to_server' : 'jwt');
  const usable = named.filter((c) => (wanted === 'jwt' ? c.jwt : c.oauth));
  const names = list.map((c) => JSON.stringify(c.name)).join(', ') || 'none';
  const what = `${options.credential === undefined ? 'a' : `"${options.credential}" as a`}${explicit ? ` ${explicit}` : ''} credential`;
  const [first, second] = usable;
  if (!first) {
    throw new CredentialError(
      source,
      [{ field, problem: `has no ${what} (credentials: ${names})` }],
      'credential_not_found',
    );
  }
  if (second) {
    throw new CredentialError(source, [
      { field, problem: `has several matching credentials (${names}): pick one by name` },
    ]);
  }
  return [first, wanted];
}

function readKeyFile(path: string, source: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError(source, [{ field: 'privateKeyFile', problem: `can't be read (${reason})` }]);
  }
}

/**
 * Reads a Developer Console workspace JSON (a path or the parsed object) and returns validated credentials.
 * Picks the credential by `credential` name and/or `type`; a JWT credential also needs its private key.
 * Bad or missing fields throw one {@link CredentialError} naming each JSON path and the file.
 *
 * @example
 * ```ts
 * const credentials = loadWorkspaceCredentials('./workspace.json', { privateKeyFile: './private.key' });
 * const oauth = loadWorkspaceCredentials('./workspace.json', { type: 'oauth_server_to_server' });
 * ```
 */
export function loadWorkspaceCredentials(
  file: string | object,
  options: WorkspaceCredentialOptions = {},
): ResolvedCredentials {
  const { json, source } = readWorkspace(file);
  const { orgId, list } = candidatesOf(json, source);
  const [chosen, type] = choose(list, options, source);
  const base = `project.workspace.details.credentials[${chosen.index}]`;
  const block = (type === 'jwt' ? chosen.jwt : chosen.oauth) ?? {};
  const prefix = `${base}.${type === 'jwt' ? 'jwt' : 'oauth_server_to_server'}`;
  const names: CredentialFieldNames = {
    type: `${base}.integration_type`,
    clientId: `${prefix}.client_id`,
    clientSecret: type === 'jwt' ? `${prefix}.client_secret` : `${prefix}.client_secrets[0]`,
    orgId: 'project.org.ims_org_id',
    technicalAccountId: `${prefix}.technical_account_id`,
    technicalAccountEmail: `${prefix}.technical_account_email`,
    privateKey: options.privateKeyFile ? 'privateKeyFile' : 'privateKey (option)',
    passphrase: 'passphrase (option)',
    scopes: type === 'jwt' ? `${prefix}.meta_scopes` : `${prefix}.scopes`,
  };
  const secrets = block.client_secrets;
  const common = {
    clientId: block.client_id,
    orgId,
    technicalAccountId: block.technical_account_id,
    technicalAccountEmail: block.technical_account_email,
  };
  const input =
    type === 'jwt'
      ? {
          ...common,
          type,
          clientSecret: block.client_secret,
          metaScopes: block.meta_scopes,
          privateKey: options.privateKeyFile
            ? readKeyFile(options.privateKeyFile, source)
            : options.privateKey,
          passphrase: options.passphrase,
        }
      : {
          ...common,
          type,
          clientSecret: Array.isArray(secrets) ? (secrets[0] as unknown) : secrets,
          scopes: block.scopes,
        };
  return resolveCredentials(input as unknown as Credentials, source, names);
}
