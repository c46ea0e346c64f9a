/**
 * Password hashing with scrypt (node:crypto, no native module): a 16-byte random salt per password, cost parameters
 * stored beside the hash so they can be raised later. Default N = 2^17, r = 8, p = 1 (OWASP's scrypt minimum);
 * tests inject a lower cost. Format: `scrypt$<logN>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for anything malformed. */
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends the time of one `verify`, for unknown accounts (so timing does not tell them apart). */
  burn(password: string): Promise<void>;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ logN: 17, r: 8, p: 1 });
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export function createScryptHasher(cost: ScryptCost = DEFAULT_SCRYPT_COST): PasswordHasher {
  const dummySalt = randomBytes(16);
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, cost);
      return [
        'scrypt',
        cost.logN,
        cost.r,
        cost.p,
        salt.toString('base64url'),
        key.toString('base64url'),
      ].join('$');
    },
    async verify(password, stored) {
      const parts = stored.split('$');
      if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
      const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
      if (
        ![logN, r, p].every(Number.isInteger) ||
        logN < 10 ||
        logN > 20 ||
        r < 1 ||
        r > 32 ||
        p < 1 ||
        p > 16
      )
        return false;
      const expected = Buffer.from(parts[5] ?? '', 'base64url');
      if (expected.length !== KEY_BYTES) return false;
      const key = await derive(password, Buffer.from(parts[4] ?? '', 'base64url'), { logN, r, p });
      return timingSafeEqual(key, expected);
    },
    async burn(password) {
      await derive(password, dummySalt, cost);
    },
  };
}
