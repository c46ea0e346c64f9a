/**
 * Verified-token cache keyed by the whole token string, so a token seen before costs no RSA verify (DESIGN §4).
 * Bounded LRU (a Map in access order); an entry is dropped once its token has expired. The caller still checks
 * expiry, revocation, the API key and the metascope on every hit.
 */
import type { VerifiedToken } from './verified-token.js';

export class TokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  /** The entry for this token if it has not expired at `now`; refreshes its LRU position. */
  get(token: string, now: number): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
