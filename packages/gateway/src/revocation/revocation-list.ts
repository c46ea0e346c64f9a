/**
 * The revocations this gateway knows, from the IMS revocation feed. A `token` entry revokes one token id (`jti`); a
 * `credential` (client id) or `org` entry revokes every token of that client or org created at or before the entry's
 * `created_at` (every token, when the feed gives none). Entries are dropped once they expire (`expires_at`).
 * Lookups are plain map reads: they run on every request, cache hits included.
 */

export type RevocationKind = 'token' | 'credential' | 'org';

/** One item of `GET {ims}/ims/revocations`. */
export interface RevocationFeedItem {
  seq: number;
  kind: RevocationKind;
  subject: string;
  expires_at: number;
  created_at?: number;
}

interface Entry {
  /** Tokens created at or before this instant (ms) are revoked. */
  createdAt: number;
  expiresAt: number;
}

/** What the revocation check needs of a token. */
export interface RevocationSubject {
  jti: string;
  clientId: string;
  orgId: string;
  /** When the token was created, ms. */
  createdAt: number;
}

export class RevocationList {
  readonly #maps: Record<RevocationKind, Map<string, Entry>> = {
    token: new Map(),
    credential: new Map(),
    org: new Map(),
  };

  /**
   * Applies one feed item; unknown kinds and malformed items are ignored. Idempotent, and it only ever widens what is
   * revoked (the later `created_at`, the later `expires_at`), so an item read twice — the poller re-reads an overlap
   * window — changes nothing. Returns whether anything changed.
   */
  add(item: RevocationFeedItem): boolean {
    const map = this.#maps[item.kind];
    if (map === undefined || typeof item.subject !== 'string' || typeof item.expires_at !== 'number')
      return false;
    const createdAt = typeof item.created_at === 'number' ? item.created_at : Number.POSITIVE_INFINITY;
    const known = map.get(item.subject);
    const next: Entry = {
      createdAt: Math.max(known?.createdAt ?? Number.NEGATIVE_INFINITY, createdAt),
      expiresAt: Math.max(known?.expiresAt ?? 0, item.expires_at),
    };
    if (known !== undefined && known.createdAt === next.createdAt && known.expiresAt === next.expiresAt)
      return false;
    map.set(item.subject, next);
    return true;
  }

  /** True when the token, its client or its org is revoked at `now`. */
  isRevoked(subject: RevocationSubject, now: number): boolean {
    const token = this.#maps.token.get(subject.jti);
    if (token !== undefined && token.expiresAt > now) return true;
    const credential = this.#maps.credential.get(subject.clientId);
    if (credential !== undefined && credential.expiresAt > now && subject.createdAt <= credential.createdAt)
      return true;
    const org = this.#maps.org.get(subject.orgId);
    return org !== undefined && org.expiresAt > now && subject.createdAt <= org.createdAt;
  }

  /** Drops entries that expired before `now`; returns how many. */
  prune(now: number): number {
    let dropped = 0;
    for (const map of Object.values(this.#maps)) {
      for (const [subject, entry] of map) {
        if (entry.expiresAt > now) continue;
        map.delete(subject);
        dropped++;
      }
    }
    return dropped;
  }

  /** How many entries are known. */
  get size(): number {
    return this.#maps.token.size + this.#maps.credential.size + this.#maps.org.size;
  }

  /** The entries, for persisting. */
  toItems(): RevocationFeedItem[] {
    const items: RevocationFeedItem[] = [];
    for (const kind of ['token', 'credential', 'org'] as const) {
      for (const [subject, entry] of this.#maps[kind]) {
        const item: RevocationFeedItem = { seq: 0, kind, subject, expires_at: entry.expiresAt };
        if (Number.isFinite(entry.createdAt)) item.created_at = entry.createdAt;
        items.push(item);
      }
    }
    return items;
  }
}
