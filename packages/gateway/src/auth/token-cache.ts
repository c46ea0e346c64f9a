/**
 * Verified-token cache keyed by the whole token, so a token seen before costs no RSA verify (DESIGN §4).
 * Bounded LRU (`lru-cache`, O(1) eviction: a `Map` in access order that evicts from its front must skip every deleted
 * slot before the first live one, about 4 µs per insert at 10,000 entries with always-new tokens). An entry is dropped
 * once its token has expired. The caller still checks expiry, revocation, the API key and the metascope on every hit.
 *
 * The key is the SHA-256 digest of the whole token, not the token itself: a kilobyte-long token kept as a key would
 * keep its request's header string alive too, and with always-new tokens the young generation would copy and promote
 * a kilobyte or two per request into a cache of ten thousand. The digest is collision resistant, so a different token
 * can't be made to hit another token's entry; computing it costs about a microsecond.
 */
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { VerifiedToken } from './verified-token.js';

/** The cache key of a token. */
export const tokenKey = (token: string): string => hash('sha256', token, 'base64url');

export class TokenCache {
  /** Undefined when the capacity is 0 (no caching). */
  readonly #entries: LRUCache<string, VerifiedToken> | undefined;

  constructor(capacity: number) {
    const max = Math.max(0, Math.floor(capacity));
    this.#entries = max === 0 ? undefined : new LRUCache<string, VerifiedToken>({ max });
  }

  /** The entry for `key` (a `tokenKey`) if its token has not expired at `now`; refreshes its LRU position. */
  get(key: string, now: number): VerifiedToken | undefined {
    const entry = this.#entries?.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries?.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: VerifiedToken): void {
    this.#entries?.set(key, entry);
  }

  get size(): number {
    return this.#entries?.size ?? 0;
  }
}
