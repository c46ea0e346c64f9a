import { readFileSync } from 'node:fs';
import { CredentialError } from '../errors.js';
import { resolveCredentials, type CredentialFieldNames } from './resolve.js';
import type { Credentials, ResolvedCredentials } from './types.js';

const ENV_NAMES: CredentialFieldNames = {
  type: 'PIMS_PRIVATE_KEY',
  clientId: 'PIMS_CLIENT_ID',
  clientSecret: 'PIMS_CLIENT_SECRET',
  orgId: 'PIMS_ORG_ID',
  technicalAccountId: 'PIMS_TECHNICAL_ACCOUNT_ID',
  technicalAccountEmail: 'PIMS_TECHNICAL_ACCOUNT_EMAIL',
  privateKey: 'PIMS_PRIVATE_KEY',
  passphrase: 'PIMS_PRIVATE_KEY_PASSPHRASE',
  scopes: 'PIMS_SCOPES',
};

const SOURCE = 'environment variables';

function privateKeyFrom(env: Readonly<Record<string, string | undefined>>): {
  pem: string | undefined;
  field: string;
} {
  const inline = env.PIMS_PRIVATE_KEY;
  const file = env.PIMS_PRIVATE_KEY_FILE;
  if (inline && file) {
    throw new CredentialError(SOURCE, [
      { field: 'PIMS_PRIVATE_KEY_FILE', problem: 'must not be set together with PIMS_PRIVATE_KEY' },
    ]);
  }
  if (inline) return { pem: inline.replace(/\\n/g, '\n'), field: 'PIMS_PRIVATE_KEY' };
  if (!file) return { pem: undefined, field: 'PIMS_PRIVATE_KEY' };
  try {
    return { pem: readFileSync(file, 'utf8'), field: 'PIMS_PRIVATE_KEY_FILE' };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError(SOURCE, [
      { field: 'PIMS_PRIVATE_KEY_FILE', problem: `can't be read (${reason})` },
    ]);
  }
}

/**
 * Reads credentials from `PIMS_*` environment variables. With `PIMS_PRIVATE_KEY` (PEM; `\n` escapes allowed) or
 * `PIMS_PRIVATE_KEY_FILE` it is a JWT credential, otherwise OAuth server-to-server. `PIMS_SCOPES` is
 * comma-separated (metascopes for JWT, scopes for OAuth; default `ent_partners_sdk`).
 * Throws one {@link CredentialError} naming every bad variable.
 *
 * @example
 * ```ts
 * // PIMS_CLIENT_ID=… PIMS_CLIENT_SECRET=… PIMS_ORG_ID=…@AdobeOrg PIMS_TECHNICAL_ACCOUNT_ID=…@techacct.adobe.com
 * // PIMS_PRIVATE_KEY_FILE=./private.key
 * const client = createPartnerClient({ environment: 'sandbox', credentials: credentialsFromEnv() });
 * ```
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedCredentials {
  const key = privateKeyFrom(env);
  const common = {
    clientId: env.PIMS_CLIENT_ID,
    clientSecret: env.PIMS_CLIENT_SECRET,
    orgId: env.PIMS_ORG_ID,
    technicalAccountId: env.PIMS_TECHNICAL_ACCOUNT_ID,
    technicalAccountEmail: env.PIMS_TECHNICAL_ACCOUNT_EMAIL,
  };
  const scopes = env.PIMS_SCOPES || undefined;
  const input = key.pem
    ? {
        ...common,
        type: 'jwt',
        privateKey: key.pem,
        passphrase: env.PIMS_PRIVATE_KEY_PASSPHRASE,
        metaScopes: scopes,
      }
    : { ...common, type: 'oauth_server_to_server', scopes };
  return resolveCredentials(input as unknown as Credentials, SOURCE, { ...ENV_NAMES, privateKey: key.field });
}
