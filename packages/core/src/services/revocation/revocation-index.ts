/**
 * This instance's view of the revocation feed, for `validate_token`: token ids revoked, and for client-wide and
 * org-wide revocations the moment after which new tokens are fine again. It follows `listRevocationsSince` from a
 * cursor, at most once per `refreshMs` (default 1 s), so revocations written by another instance count here within
 * that bound; those written here count at once (`note`). This is the same algorithm gateways run over HTTP.
 */
import type { Revocation, RevocationKind } from '../../stores/records.js';
import type { RevocationStore } from '../../stores/stores.js';
import type { AccessTokenClaims } from '../../tokens/token-types.js';
import type { Clock } from '../ims-settings.js';

export interface RevocationIndex {
  /** True when the token's id is revoked, or its client or org was revoked at or after it was created. */
  isRevoked(claims: AccessTokenClaims): Promise<boolean>;
  /** Applies a revocation written by this instance right away. */
  note(revocation: Revocation): void;
}

export interface RevocationIndexOptions {
  store: Pick<RevocationStore, 'listRevocationsSince'>;
  clock: Clock;
  refreshMs?: number;
}

const PAGE = 1000;

export function createRevocationIndex(options: RevocationIndexOptions): RevocationIndex {
  const refreshMs = options.refreshMs ?? 1000;
  const entries = new Map<string, { createdAt: number; expiresAt: number }>();
  let cursor = 0;
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;

  const keyOf = (kind: RevocationKind, subject: string) => `${kind}\n${subject}`;

  function note(revocation: Revocation): void {
    const key = keyOf(revocation.kind, revocation.subject);
    const known = entries.get(key);
    entries.set(key, {
      createdAt: Math.max(known?.createdAt ?? 0, revocation.createdAt),
      expiresAt: Math.max(known?.expiresAt ?? 0, revocation.expiresAt),
    });
  }

  async function refresh(): Promise<void> {
    const now = options.clock.now();
    for (;;) {
      const page = await options.store.listRevocationsSince(cursor, now, PAGE);
      for (const revocation of page) {
        note(revocation);
        cursor = Math.max(cursor, revocation.seq);
      }
      if (page.length < PAGE) break;
    }
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    refreshedAt = now;
  }

  async function fresh(): Promise<void> {
    if (options.clock.now() - refreshedAt < refreshMs) return;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    await refreshing;
  }

  function revokedSince(kind: RevocationKind, subject: string, createdAt: number): boolean {
    const entry = entries.get(keyOf(kind, subject));
    return entry !== undefined && entry.expiresAt > options.clock.now() && createdAt <= entry.createdAt;
  }

  return {
    async isRevoked(claims) {
      await fresh();
      const createdAt = Number(claims.created_at);
      const issuedAt = Number.isFinite(createdAt) ? createdAt : claims.iat * 1000;
      return (
        revokedSince('token', claims.jti, Number.NEGATIVE_INFINITY) ||
        revokedSince('credential', claims.client_id, issuedAt) ||
        revokedSince('org', claims.org, issuedAt)
      );
    },
    note,
  };
}
