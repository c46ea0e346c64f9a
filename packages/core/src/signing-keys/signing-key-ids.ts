/**
 * Key ids (`kid`) of IMS signing keys. They are derived, not random, so that two instances (or two `pims key rotate`
 * runs) racing to create "the same" key compute the same `kid` and the table's primary key lets exactly one insert
 * win: the first key derives from the word `bootstrap`, every staged key from the key it will replace.
 *
 * The derivation is keyed by a subkey of the key-encryption key (HKDF), so ids of different deployments differ and
 * reveal nothing about the key-encryption key.
 */
import { createHmac, hkdfSync } from 'node:crypto';

/** Prefix of every IMS signing key id; ids are URL-safe (`/ims/keys/{kid}.cer`). */
export const KID_PREFIX = 'ims-';

/** Derives key ids under one key-encryption key. */
export interface KidDeriver {
  /** The id of the first key of an empty key ring. */
  bootstrap(): string;
  /** The id of the key staged to replace `parentKid`. */
  successorOf(parentKid: string): string;
}

/** A `KidDeriver` keyed by an HKDF subkey of `kek`. */
export function createKidDeriver(kek: Buffer): KidDeriver {
  const idKey = Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'pims signing key ids v1', 32));
  const derive = (label: string): string =>
    KID_PREFIX + createHmac('sha256', idKey).update(label).digest().subarray(0, 16).toString('base64url');
  return {
    bootstrap: () => derive('bootstrap'),
    successorOf: (parentKid) => derive(`successor:${parentKid}`),
  };
}
