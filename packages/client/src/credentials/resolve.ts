import { KeyObject } from 'node:crypto';
import { PARTNER_METASCOPE } from '../environments.js';
import { CredentialError, type CredentialIssue } from '../errors.js';
import { parsePrivateKey } from './private-key.js';
import type { Credentials, ResolvedCredentials } from './types.js';

/**
 * How a source spells each field, so errors name the field the user actually wrote.
 *
 * @example
 * ```ts
 * const names: CredentialFieldNames = { ...OBJECT_FIELD_NAMES, clientId: 'PIMS_CLIENT_ID' };
 * ```
 */
export interface CredentialFieldNames {
  type: string;
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId: string;
  technicalAccountEmail: string;
  privateKey: string;
  passphrase: string;
  scopes: string;
}

/**
 * Field names of a plain credentials object.
 *
 * @example
 * ```ts
 * resolveCredentials(input, 'my config', OBJECT_FIELD_NAMES);
 * ```
 */
export const OBJECT_FIELD_NAMES: Readonly<CredentialFieldNames> = Object.freeze({
  type: 'type',
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  orgId: 'orgId',
  technicalAccountId: 'technicalAccountId',
  technicalAccountEmail: 'technicalAccountEmail',
  privateKey: 'privateKey',
  passphrase: 'passphrase',
  scopes: 'metaScopes / scopes',
});

const tokenLike = /^[^\s]+$/;

function text(
  issues: CredentialIssue[],
  value: unknown,
  field: string,
  required: boolean,
): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) issues.push({ field, problem: 'is missing' });
    return undefined;
  }
  if (typeof value !== 'string') {
    issues.push({
      field,
      problem: `must be a string (got ${Array.isArray(value) ? 'array' : typeof value})`,
    });
    return undefined;
  }
  if (!tokenLike.test(value)) {
    issues.push({ field, problem: 'must not contain whitespace' });
    return undefined;
  }
  return value;
}

function scopeList(issues: CredentialIssue[], value: unknown, field: string): readonly string[] {
  if (value === undefined || value === null) return [PARTNER_METASCOPE];
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({ field, problem: 'must be a non-empty list of scope names' });
    return [];
  }
  const bad = list.some((s) => typeof s !== 'string' || !tokenLike.test(s));
  if (bad) issues.push({ field, problem: 'must contain only non-empty scope names without whitespace' });
  return list as string[];
}

/**
 * Validates credentials and parses the private key once. Every problem is reported in one
 * {@link CredentialError} naming the fields (as `names` spells them) and the `source`, before any network call.
 *
 * @example
 * ```ts
 * const ready = resolveCredentials({ type: 'oauth_server_to_server', clientId, clientSecret, orgId });
 * ready.scopes; // ["ent_partners_sdk"]
 * ```
 */
export function resolveCredentials(
  input: Credentials,
  source = 'credentials object',
  names: CredentialFieldNames = OBJECT_FIELD_NAMES,
): ResolvedCredentials {
  if (typeof input !== 'object' || input === null) {
    throw new CredentialError(source, [{ field: names.type, problem: 'credentials must be an object' }]);
  }
  const raw = input as unknown as Record<string, unknown>;
  const issues: CredentialIssue[] = [];
  const type = raw.type;
  if (type !== 'jwt' && type !== 'oauth_server_to_server') {
    issues.push({ field: names.type, problem: 'must be "jwt" or "oauth_server_to_server"' });
  }
  const common = {
    clientId: text(issues, raw.clientId, names.clientId, true),
    clientSecret: text(issues, raw.clientSecret, names.clientSecret, true),
    orgId: text(issues, raw.orgId, names.orgId, true),
    technicalAccountId: text(issues, raw.technicalAccountId, names.technicalAccountId, type === 'jwt'),
    technicalAccountEmail: text(issues, raw.technicalAccountEmail, names.technicalAccountEmail, false),
  };
  if (type === 'jwt') {
    const metaScopes = scopeList(issues, raw.metaScopes, names.scopes);
    const keyInput = raw.privateKey;
    const passphrase = text(
      issues,
      raw.passphrase === '' ? undefined : raw.passphrase,
      names.passphrase,
      false,
    );
    let privateKey: KeyObject | undefined;
    if (keyInput === undefined || keyInput === null || keyInput === '') {
      issues.push({ field: names.privateKey, problem: 'is missing' });
    } else if (
      typeof keyInput !== 'string' &&
      !Buffer.isBuffer(keyInput) &&
      !(keyInput instanceof KeyObject)
    ) {
      issues.push({ field: names.privateKey, problem: 'must be a PEM string or a KeyObject' });
    } else if (issues.length === 0) {
      privateKey = parsePrivateKey(keyInput, {
        source,
        field: names.privateKey,
        passphraseField: names.passphrase,
        passphrase,
      });
    }
    if (issues.length > 0 || !privateKey) throw new CredentialError(source, issues);
    return { ...(common as Required<typeof common>), type, privateKey, metaScopes } as ResolvedCredentials;
  }
  const scopes = scopeList(issues, raw.scopes, names.scopes);
  if (issues.length > 0) throw new CredentialError(source, issues);
  return {
    ...(common as Required<typeof common>),
    type: 'oauth_server_to_server',
    scopes,
  } as ResolvedCredentials;
}
