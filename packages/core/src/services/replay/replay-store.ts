/**
 * Single use of client assertions (SECURITY EX-7), shared by every instance.
 *
 * `claim` is the atomic step: it records `key` until `expiresAt` and says whether this caller was first. Keys are
 * opaque (a hash of client id and `jti`, or of the whole assertion); `tokenClaims` is kept for assertions without a
 * `jti`, so a repeat gets the same access token back. Any failure throws: the exchange then answers 503 and issues
 * nothing.
 */
import type { AccessTokenClaims } from '../../tokens/token-types.js';

export interface ReplayEntry {
  key: string;
  clientId: string;
  /** Milliseconds since the epoch; the key is kept at least until then. */
  expiresAt: number;
  tokenClaims: AccessTokenClaims | null;
}

export interface ReplayStore {
  /** Atomic: true when the key was free (now taken until `expiresAt`), false when already taken and not expired. */
  claim(entry: ReplayEntry): Promise<boolean>;
  /** The live entry for `key`, if any. */
  find(key: string): Promise<Pick<ReplayEntry, 'key' | 'expiresAt' | 'tokenClaims'> | undefined>;
  close?(): Promise<void>;
}
