import { randomBytes } from 'node:crypto';

/** A random secret (client secrets, invitation and session tokens), base64url. At least 16 bytes (128 bits). */
export function randomSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError('a secret needs at least 16 random bytes');
  return randomBytes(bytes).toString('base64url');
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1)
    throw new RangeError('randomHex needs a positive whole number of bytes');
  return randomBytes(bytes).toString('hex');
}
