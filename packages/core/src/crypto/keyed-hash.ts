/**
 * Keyed hashes (HMAC-SHA-256 with the secret key) of client secrets, invitation and session tokens: a stolen
 * database alone can't be used to test guesses. Format `h1:<base64url>`; the version prefix allows a later change.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'h1:';

export function keyedHash(key: Buffer, value: string): string {
  if (key.length < 32) throw new RangeError('the keyed-hash key must be at least 32 bytes');
  return `${PREFIX}${createHmac('sha256', key).update(value, 'utf8').digest('base64url')}`;
}

/** Constant-time comparison of `value`'s keyed hash with a stored one; false for anything malformed. */
export function verifyKeyedHash(key: Buffer, value: string, hash: string): boolean {
  const expected = Buffer.from(keyedHash(key, value));
  const actual = Buffer.from(hash);
  // Lengths of well-formed hashes are fixed, so this early exit reveals nothing about the secret.
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}
