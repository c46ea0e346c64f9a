import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { KeyDecryptionError, decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';

const kek = randomBytes(32);
const pem =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n';

function flip(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

void describe('key encryption', () => {
  void it('round-trips and never contains the plaintext', () => {
    const envelope = encryptPrivateKey(kek, pem);
    assert.match(envelope, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    assert.ok(!envelope.includes('PRIVATE KEY'));
    assert.equal(decryptPrivateKey(kek, envelope), pem);
  });

  void it('uses a fresh IV each time', () => {
    const a = encryptPrivateKey(kek, pem);
    const b = encryptPrivateKey(kek, pem);
    assert.notEqual(a, b);
    assert.notEqual(a.split('.')[1], b.split('.')[1]);
  });

  void it('refuses a wrong key', () => {
    assert.throws(() => decryptPrivateKey(randomBytes(32), encryptPrivateKey(kek, pem)), KeyDecryptionError);
  });

  void it('refuses any tampering with IV, tag, ciphertext or version', () => {
    const [version, iv, tag, ciphertext] = encryptPrivateKey(kek, pem).split('.') as [
      string,
      string,
      string,
      string,
    ];
    const tampered = [
      [version, flip(iv), tag, ciphertext],
      [version, iv, flip(tag), ciphertext],
      [version, iv, tag, flip(ciphertext)],
      ['v2', iv, tag, ciphertext],
      [version, iv, tag],
      [version, iv, tag.slice(0, 10), ciphertext],
      [version, `${iv}!`, tag, ciphertext],
      [version, iv, tag, ciphertext, ''],
    ];
    for (const parts of tampered) {
      assert.throws(
        () => decryptPrivateKey(kek, parts.join('.')),
        (err: unknown) => {
          assert.ok(err instanceof KeyDecryptionError);
          assert.equal(err.code, 'KEY_DECRYPTION_FAILED');
          assert.ok(!err.message.includes(ciphertext));
          return true;
        },
      );
    }
    assert.throws(() => decryptPrivateKey(kek, ''), KeyDecryptionError);
  });

  void it('refuses a KEK that is not 32 bytes', () => {
    assert.throws(() => encryptPrivateKey(randomBytes(16), pem), RangeError);
    assert.throws(() => decryptPrivateKey(randomBytes(31), 'v1.a.b.c'), RangeError);
  });
});
