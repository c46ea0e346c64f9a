/**
 * Client authentication shared by the token endpoints: lookup (cached), status, then the secret, compared with every
 * stored keyed hash (at most two during rotation) so timing says nothing about which matched (SECURITY EX-2, EX-10).
 * The secret that matched is noted as used (in memory; written later, off the request's path).
 */
import { isPimsError, pimsError } from '@pims/contracts';
import type { ClientDirectory, ClientRecord } from './client-directory.js';
import type { SecretUseLog } from './secret-use-log.js';

/** Constant-time check of a presented secret against one stored keyed hash. */
export type VerifySecret = (secret: string, storedHash: string) => boolean;

export interface ClientAuthDeps {
  clients: ClientDirectory;
  verifySecret: VerifySecret;
  /** Learns which secret authenticated a request (for its last-use time); synchronous and cheap. */
  secretUse?: Pick<SecretUseLog, 'note'>;
}

/** Storage, Redis or other infrastructure failures become 503 `ims.server_error`; catalogue errors pass through. */
export function unavailable(err: unknown): never {
  if (isPimsError(err)) throw err;
  throw pimsError('ims.server_error', { cause: err });
}

/** Lookup (cached), then status. `onFound` learns the client before its status is judged (for the audit trail). */
export async function findActiveClient(
  deps: Pick<ClientAuthDeps, 'clients'>,
  clientId: string,
  onFound?: (record: ClientRecord) => void,
): Promise<ClientRecord> {
  const record = await deps.clients.find(clientId).catch(unavailable);
  if (record === undefined) throw pimsError('ims.invalid_client');
  onFound?.(record);
  if (record.credential.status !== 'active' || !record.orgActive) throw pimsError('ims.client_disabled');
  return record;
}

export function checkClientSecret(
  deps: Pick<ClientAuthDeps, 'verifySecret' | 'secretUse'>,
  record: ClientRecord,
  secret: string,
): void {
  let matched: string | undefined;
  for (const stored of record.secrets) {
    // No short-circuit: every stored hash is compared.
    if (deps.verifySecret(secret, stored.hash)) matched = stored.id;
  }
  if (matched === undefined) throw pimsError('ims.invalid_client_secret');
  deps.secretUse?.note(record.credential.orgId, matched);
}

export async function authenticateClient(
  deps: ClientAuthDeps,
  clientId: string,
  secret: string,
  onFound?: (record: ClientRecord) => void,
): Promise<ClientRecord> {
  const record = await findActiveClient(deps, clientId, onFound);
  checkClientSecret(deps, record, secret);
  return record;
}

/** Every scope a credential is bound to: its scopes, then its metascopes, each once. */
export function boundScopes(record: ClientRecord): string[] {
  return [...new Set([...record.credential.scopes, ...record.credential.metascopes])];
}
