/**
 * Verified-token cache keyed by the whole token, so a token seen before costs no RSA verify (DESIGN §4).
 *
 * The key is the SHA-256 digest of the whole token (collision resistant: a different token can't be made to hit
 * another token's entry), compared in full. The cache is set-associative: the digest picks a set of 8 slots, a set
 * keeps its 8 most recently used tokens, and a lookup or insert looks at those 8 only, so every operation is O(1).
 *
 * Why not a `Map` or an LRU of objects: with always-new tokens (thousands of first sights a second) every entry lives
 * about as long as the cache takes to turn over, a second or so — long enough to be copied out of the young generation
 * and promoted, short enough to die in the old one. An entry of a kilobyte-long key, an object and five strings per
 * request made the old generation fill and be compacted every second, and the pauses set the gateway's p99 latency
 * (decision 0010). Here the entries live in typed arrays allocated once; of a token, only its `jti` string is kept
 * (the client, org, technical account and `kid` are shared strings, interned), and a hit hands out a new object, so a
 * slot reused later never changes what an earlier request was given.
 *
 * A token seen a third time is found without hashing it: a token that hits by digest is remembered by its exact
 * string (`recent`, up to 1,024 tokens, forgotten all at once when full), pointing at its slot; the slot's generation
 * tells whether it still holds that token. Only tokens that came back are remembered, so a stream of never-seen tokens
 * adds nothing there. In the running gateway the SHA-256 of a ~900-byte token took ~3 µs of a cache hit's ~5.
 *
 * An entry is dropped once its token has expired. The caller still checks expiry, revocation, the API key and the
 * metascope on every hit.
 */
import { hash } from 'node:crypto';
import type { VerifiedToken } from './verified-token.js';

/** The cache key of a token: its SHA-256 digest. */
export const tokenKey = (token: string): Buffer => hash('sha256', token, 'buffer');

/** Slots per set: a lookup compares at most this many digests. */
const WAYS = 8;
/** A digest is 32 bytes, kept as 8 int32 words. */
const WORDS = 8;

/** Most tokens remembered by their exact string (`TokenCache.recent`). */
const RECENT_LIMIT = 1024;
/** The key of a token in `TokenCache.recent`: its last 32 characters, part of its signature. */
const recentKey = (token: string): string => token.slice(-32);

/** Strings that recur across tokens (client, org, …), kept once each; forgotten all at once when `limit` is reached. */
class Interner {
  readonly #known = new Map<string, string>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  intern(value: string): string {
    const known = this.#known.get(value);
    if (known !== undefined) return known;
    if (this.#known.size >= this.#limit) this.#known.clear();
    this.#known.set(value, value);
    return value;
  }
}

export class TokenCache {
  readonly #sets: number;
  readonly #ways: number;
  /** Slot `s` holds its digest in words `s * WORDS …`; meaningful only while `#used[s]` is 1. */
  readonly #digests: Int32Array;
  readonly #used: Uint8Array;
  /** Last use of each slot (a counter), to evict the least recently used slot of a full set. */
  readonly #lastUse: Float64Array;
  readonly #expiresAt: Float64Array;
  readonly #createdAt: Float64Array;
  readonly #hasMetascope: Uint8Array;
  readonly #kid: string[];
  readonly #jti: string[];
  readonly #clientId: string[];
  readonly #orgId: string[];
  readonly #technicalAccountId: string[];
  readonly #interner: Interner;
  /** Bumped whenever a slot is given to another token or emptied: a `#recent` entry of an older generation is stale. */
  readonly #generation: Float64Array;
  /**
   * Tokens that hit by digest: their slot and its generation then, under the token's last 32 characters (part of its
   * signature). A lookup compares the whole token with the one kept, so the short key only spares hashing a kilobyte
   * string per request (V8 hashes every character of a `Map` key); two tokens sharing an ending just miss each other.
   */
  readonly #recent = new Map<string, { token: string; slot: number; generation: number }>();
  #uses = 0;
  #size = 0;

  /** Holds at most `capacity` tokens (rounded down to a multiple of 8 above 8); 0 caches nothing. */
  constructor(capacity: number) {
    const max = Math.max(0, Math.floor(capacity));
    this.#ways = Math.min(WAYS, max);
    this.#sets = this.#ways === 0 ? 0 : Math.floor(max / this.#ways);
    const slots = this.#sets * this.#ways;
    this.#digests = new Int32Array(slots * WORDS);
    this.#used = new Uint8Array(slots);
    this.#lastUse = new Float64Array(slots);
    this.#expiresAt = new Float64Array(slots);
    this.#createdAt = new Float64Array(slots);
    this.#hasMetascope = new Uint8Array(slots);
    this.#kid = new Array<string>(slots).fill('');
    this.#jti = new Array<string>(slots).fill('');
    this.#clientId = new Array<string>(slots).fill('');
    this.#orgId = new Array<string>(slots).fill('');
    this.#technicalAccountId = new Array<string>(slots).fill('');
    this.#interner = new Interner(Math.max(64, 4 * slots));
    this.#generation = new Float64Array(slots);
  }

  /** The first slot of the set `key` belongs to. */
  #setOf(key: Buffer): number {
    return (key.readUInt32LE(0) % this.#sets) * this.#ways;
  }

  #holds(slot: number, key: Buffer): boolean {
    if (this.#used[slot] !== 1) return false;
    const base = slot * WORDS;
    const digests = this.#digests;
    for (let w = 0; w < WORDS; w++) if (digests[base + w] !== key.readInt32LE(w * 4)) return false;
    return true;
  }

  #find(key: Buffer): number {
    const first = this.#setOf(key);
    for (let slot = first; slot < first + this.#ways; slot++) if (this.#holds(slot, key)) return slot;
    return -1;
  }

  #clear(slot: number): void {
    this.#used[slot] = 0;
    this.#jti[slot] = '';
    this.#generation[slot] = (this.#generation[slot] ?? 0) + 1;
    this.#size--;
  }

  /**
   * The entry of `token` when it hit by digest before (`get` with the token) and its slot still holds it, without
   * hashing the token: an exact string match. Undefined otherwise (the caller then computes the key and calls `get`).
   */
  recent(token: string, now: number): VerifiedToken | undefined {
    const shortKey = recentKey(token);
    const known = this.#recent.get(shortKey);
    if (known === undefined || known.token !== token) return undefined;
    const { slot } = known;
    if (this.#used[slot] !== 1 || this.#generation[slot] !== known.generation) {
      this.#recent.delete(shortKey);
      return undefined;
    }
    return this.#entryAt(slot, now);
  }

  /**
   * The entry for `key` (a `tokenKey`) if its token has not expired at `now`; marks it used. With `token` (the string
   * `key` was computed from), a hit also remembers the token for `recent`.
   */
  get(key: Buffer, now: number, token?: string): VerifiedToken | undefined {
    if (this.#sets === 0) return undefined;
    const slot = this.#find(key);
    if (slot < 0) return undefined;
    const entry = this.#entryAt(slot, now);
    if (entry !== undefined && token !== undefined) {
      if (this.#recent.size >= RECENT_LIMIT) this.#recent.clear();
      this.#recent.set(recentKey(token), { token, slot, generation: this.#generation[slot] ?? 0 });
    }
    return entry;
  }

  /** A new object of the token in `slot`, unless it has expired at `now` (then the slot is emptied). */
  #entryAt(slot: number, now: number): VerifiedToken | undefined {
    const expiresAt = this.#expiresAt[slot] ?? 0;
    if (expiresAt <= now) {
      this.#clear(slot);
      return undefined;
    }
    this.#lastUse[slot] = ++this.#uses;
    return {
      kid: this.#kid[slot] ?? '',
      jti: this.#jti[slot] ?? '',
      clientId: this.#clientId[slot] ?? '',
      orgId: this.#orgId[slot] ?? '',
      technicalAccountId: this.#technicalAccountId[slot] ?? '',
      createdAt: this.#createdAt[slot] ?? 0,
      expiresAt,
      hasMetascope: this.#hasMetascope[slot] === 1,
    };
  }

  /** Keeps `entry` under `key`: in its own slot when already there, else a free one, else the set's least recent. */
  set(key: Buffer, entry: VerifiedToken): void {
    if (this.#sets === 0) return;
    let slot = this.#find(key);
    if (slot < 0) {
      const first = this.#setOf(key);
      slot = first;
      for (let s = first; s < first + this.#ways; s++) {
        if (this.#used[s] !== 1) {
          slot = s;
          break;
        }
        if ((this.#lastUse[s] ?? 0) < (this.#lastUse[slot] ?? 0)) slot = s;
      }
      if (this.#used[slot] !== 1) this.#size++;
      this.#generation[slot] = (this.#generation[slot] ?? 0) + 1;
      const base = slot * WORDS;
      for (let w = 0; w < WORDS; w++) this.#digests[base + w] = key.readInt32LE(w * 4);
      this.#used[slot] = 1;
    }
    const interner = this.#interner;
    this.#lastUse[slot] = ++this.#uses;
    this.#expiresAt[slot] = entry.expiresAt;
    this.#createdAt[slot] = entry.createdAt;
    this.#hasMetascope[slot] = entry.hasMetascope ? 1 : 0;
    this.#kid[slot] = interner.intern(entry.kid);
    this.#jti[slot] = entry.jti;
    this.#clientId[slot] = interner.intern(entry.clientId);
    this.#orgId[slot] = interner.intern(entry.orgId);
    this.#technicalAccountId[slot] = interner.intern(entry.technicalAccountId);
  }

  /** Tokens held (expired ones included until a lookup or a newer token drops them). */
  get size(): number {
    return this.#size;
  }

  /** The most tokens this cache holds at once. */
  get capacity(): number {
    return this.#sets * this.#ways;
  }
}
