import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomHex, randomSecret } from './random.js';

void describe('random', () => {
  void it('makes 256-bit base64url secrets by default, never the same twice', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => randomSecret()));
    assert.equal(secrets.size, 100);
    for (const secret of secrets) {
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(secret, 'base64url').length, 32);
    }
    assert.equal(Buffer.from(randomSecret(16), 'base64url').length, 16);
  });

  void it('refuses secrets under 128 bits', () => {
    assert.throws(() => randomSecret(15), RangeError);
    assert.throws(() => randomSecret(16.5), RangeError);
  });

  void it('makes hex strings of the given byte length', () => {
    assert.match(randomHex(8), /^[0-9a-f]{16}$/);
    assert.notEqual(randomHex(16), randomHex(16));
    assert.throws(() => randomHex(0), RangeError);
  });
});
