/**
 * Token validation, revocation and the revocation feed (DESIGN §3.3):
 * `validate_token/v1`, `invalidate_token/v2`, `GET /ims/revocations`, and `revokeCredential` / `revokeOrg` for the
 * console. A revocation row is one of:
 * - `token`: `subject` is a token id (`jti`); that token is revoked.
 * - `credential`: `subject` is a client id; every token of that client created at or before the row's `created_at`.
 * - `org`: `subject` is an org id; every token of that org created at or before the row's `created_at`.
 * Rows are kept until the last token they can concern has expired (`expires_at`).
 */
import { pimsError } from '@pims/contracts';
import type { Revocation } from '../../stores/records.js';
import type { RevocationStore } from '../../stores/stores.js';
import type { AccessTokenClaims, TokenInvalidReason, TokenVerifier } from '../../tokens/token-types.js';
import type { AuditLog } from '../audit/audit-log.js';
import { authenticateClient, unavailable, type ClientAuthDeps } from '../clients/authenticate-client.js';
import type { Clock, ImsSettings } from '../ims-settings.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { checkRateLimits } from '../token-exchange/token-service-deps.js';
import type { RevocationIndex } from './revocation-index.js';

export interface RevocationDeps extends ClientAuthDeps {
  settings: ImsSettings;
  clock: Clock;
  /** The token endpoints' limiter: invalidation checks a client secret too (EX-8). */
  rateLimiter: RateLimiter;
  verifier: TokenVerifier;
  revocations: Pick<RevocationStore, 'insertRevocation' | 'listRevocationsSince'>;
  index: RevocationIndex;
  audit: AuditLog;
}

export type ValidationResult =
  | { valid: true; expiresAt: number; claims: AccessTokenClaims }
  | { valid: false; reason: TokenInvalidReason | 'revoked' | 'client_mismatch' };

export interface ValidateTokenInput {
  token: string;
  /** When given, must be `access_token`. */
  type?: string | undefined;
  /** When given, must be the token's client. */
  clientId?: string | undefined;
}

export async function validateToken(
  deps: RevocationDeps,
  input: ValidateTokenInput,
): Promise<ValidationResult> {
  if (input.type !== undefined && input.type !== 'access_token')
    return { valid: false, reason: 'wrong_type' };
  const verified = await deps.verifier.verify(input.token);
  if (!verified.valid) return { valid: false, reason: verified.reason };
  const { claims } = verified;
  if (input.clientId !== undefined && input.clientId !== claims.client_id) {
    return { valid: false, reason: 'client_mismatch' };
  }
  if (await deps.index.isRevoked(claims).catch(unavailable)) return { valid: false, reason: 'revoked' };
  return { valid: true, expiresAt: claims.exp * 1000, claims };
}

/** How long a client- or org-wide revocation must be kept: until every token it can concern has expired. */
function wideRevocationExpiry(deps: Pick<RevocationDeps, 'settings' | 'clock'>): number {
  return (
    deps.clock.now() + (deps.settings.accessTokenLifetimeSeconds + deps.settings.clockSkewSeconds) * 1000
  );
}

async function insert(
  deps: Pick<RevocationDeps, 'revocations' | 'index' | 'clock'>,
  row: Omit<Revocation, 'seq' | 'createdAt'>,
): Promise<Revocation> {
  const revocation = await deps.revocations
    .insertRevocation({ ...row, createdAt: deps.clock.now() })
    .catch(unavailable);
  deps.index.note(revocation);
  return revocation;
}

export interface InvalidateTokenInput {
  clientId: string;
  clientSecret: string;
  /** The token to revoke; not needed with `cascading`. */
  token?: string | undefined;
  /** Revoke every token of this client issued so far. */
  cascading: boolean;
}

/** `invalidate_token/v2`: a client revokes one of its own tokens, or all of them. Undefined: nothing left to revoke. */
export async function invalidateToken(
  deps: RevocationDeps,
  input: InvalidateTokenInput,
  context: { ip: string; requestId: string },
): Promise<Revocation | undefined> {
  await checkRateLimits(deps, input.clientId, context.ip);
  const record = await authenticateClient(deps, input.clientId, input.clientSecret);
  const { credential } = record;
  let revocation: Revocation | undefined;
  if (input.cascading) {
    revocation = await insert(deps, {
      kind: 'credential',
      subject: credential.clientId,
      orgId: credential.orgId,
      expiresAt: wideRevocationExpiry(deps),
    });
  } else {
    if (input.token === undefined) throw pimsError('ims.bad_request');
    const verified = await deps.verifier.verify(input.token);
    if (!verified.valid) {
      if (verified.reason === 'expired') return undefined;
      throw pimsError('ims.bad_request');
    }
    // Another client's token is refused the same way as a forged one.
    if (verified.claims.client_id !== credential.clientId) throw pimsError('ims.bad_request');
    revocation = await insert(deps, {
      kind: 'token',
      subject: verified.claims.jti,
      orgId: credential.orgId,
      expiresAt: (verified.claims.exp + deps.settings.clockSkewSeconds) * 1000,
    });
  }
  deps.audit.record({
    orgId: credential.orgId,
    actorType: 'client',
    actorId: credential.clientId,
    action: 'token.revoked',
    targetType: revocation.kind,
    targetId: revocation.kind === 'token' ? revocation.subject : credential.clientId,
    outcome: 'success',
    ip: context.ip,
    requestId: context.requestId,
    details: { seq: revocation.seq },
  });
  return revocation;
}

/** For the console: every token of this credential issued so far stops working; call it when disabling one. */
export async function revokeCredential(
  deps: Pick<RevocationDeps, 'revocations' | 'index' | 'clock' | 'settings' | 'clients'>,
  credential: { orgId: string; clientId: string },
): Promise<Revocation> {
  deps.clients.invalidate(credential.clientId);
  return insert(deps, {
    kind: 'credential',
    subject: credential.clientId,
    orgId: credential.orgId,
    expiresAt: wideRevocationExpiry(deps),
  });
}

/** For the console: every token of this org issued so far stops working; call it when disabling one. */
export async function revokeOrg(
  deps: Pick<RevocationDeps, 'revocations' | 'index' | 'clock' | 'settings' | 'clients'>,
  orgId: string,
): Promise<Revocation> {
  deps.clients.clear();
  return insert(deps, { kind: 'org', subject: orgId, orgId, expiresAt: wideRevocationExpiry(deps) });
}

export interface RevocationFeedItem {
  seq: number;
  kind: Revocation['kind'];
  subject: string;
  expires_at: number;
  created_at: number;
}

export interface RevocationFeed {
  revocations: RevocationFeedItem[];
  /** The last `seq` returned (or `since` when nothing new): pass it as the next `since`. */
  cursor: number;
}

export const MAX_FEED_PAGE = 1000;

export async function revocationFeed(
  deps: Pick<RevocationDeps, 'revocations' | 'clock'>,
  since: number,
  limit = MAX_FEED_PAGE,
): Promise<RevocationFeed> {
  const rows = await deps.revocations
    .listRevocationsSince(since, deps.clock.now(), Math.min(Math.max(1, limit), MAX_FEED_PAGE))
    .catch(unavailable);
  return {
    revocations: rows.map((row) => ({
      seq: row.seq,
      kind: row.kind,
      subject: row.subject,
      expires_at: row.expiresAt,
      created_at: row.createdAt,
    })),
    cursor: rows.at(-1)?.seq ?? since,
  };
}
