/**
 * Verified-token cache keyed by the whole token, so a token seen before costs no RSA verify (DESIGN §4).
 * Bounded LRU (a Map in access order); an entry is dropped once its token has expired. The caller still checks
 * expiry, revocation, the API key and the metascope on every hit.
 *
 * The key is the SHA-256 digest of the whole token, not the token itself: a kilobyte-long token kept as a key would
 * keep its request's header string alive too, and with always-new tokens the young generation would copy and promote
 * a kilobyte or two per request into a cache of ten thousand. The digest is collision resistant, so a different token
 * can't be made to hit another token's entry; computing it costs about a microsecond.
 */
import { hash } from 'node:crypto';
import type { VerifiedToken } from './verified-token.js';

/** The cache key of a token. */
export const tokenKey = (token: string): string => hash('sha256', token, 'base64url');

export class TokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  /** The entry for `key` (a `tokenKey`) if its token has not expired at `now`; refreshes its LRU position. */
  get(key: string, now: number): VerifiedToken | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: VerifiedToken): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
