/**
 * Envelope encryption of private keys at rest with the key encryption key (KEK): AES-256-GCM, a random 12-byte IV per
 * envelope, the version as additional authenticated data. Envelope: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const base64url = /^[A-Za-z0-9_-]*$/;

/** The envelope is malformed, was tampered with, or was made with another key. Carries no detail on purpose. */
export class KeyDecryptionError extends Error {
  override readonly name = 'KeyDecryptionError';
  readonly code = 'KEY_DECRYPTION_FAILED';

  constructor() {
    super('Private key could not be decrypted: wrong key encryption key or damaged envelope');
  }
}

function checkKek(kek: Buffer): void {
  if (kek.length !== KEY_BYTES) throw new RangeError(`the key encryption key must be ${KEY_BYTES} bytes`);
}

export function encryptPrivateKey(kek: Buffer, pem: string): string {
  checkKek(kek);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(VERSION));
  const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptPrivateKey(kek: Buffer, envelope: string): string {
  checkKek(kek);
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.every((part) => base64url.test(part))) {
    throw new KeyDecryptionError();
  }
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || ciphertext === undefined)
    throw new KeyDecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyDecryptionError();
  }
}
