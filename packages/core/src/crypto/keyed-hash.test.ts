import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyedHash, verifyKeyedHash } from './keyed-hash.js';

const key = Buffer.alloc(32, 3);
const otherKey = Buffer.alloc(32, 4);

void describe('keyed hash', () => {
  void it('is a versioned, deterministic HMAC-SHA-256', () => {
    const hash = keyedHash(key, 'p8e-secret');
    assert.match(hash, /^h1:[A-Za-z0-9_-]{43}$/);
    assert.equal(keyedHash(key, 'p8e-secret'), hash);
    assert.notEqual(keyedHash(otherKey, 'p8e-secret'), hash);
    assert.notEqual(keyedHash(key, 'p8e-secreT'), hash);
    assert.ok(!hash.includes('p8e'));
  });

  void it('matches RFC 4231 test case 6', () => {
    const rfcKey = Buffer.alloc(131, 0xaa);
    const expected = Buffer.from('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54', 'hex');
    assert.equal(
      keyedHash(rfcKey, 'Test Using Larger Than Block-Size Key - Hash Key First'),
      `h1:${expected.toString('base64url')}`,
    );
  });

  void it('verifies the right value only', () => {
    const hash = keyedHash(key, 'p8e-secret');
    assert.equal(verifyKeyedHash(key, 'p8e-secret', hash), true);
    assert.equal(verifyKeyedHash(key, 'p8e-secreT', hash), false);
    assert.equal(verifyKeyedHash(otherKey, 'p8e-secret', hash), false);
    assert.equal(verifyKeyedHash(key, 'p8e-secret', ''), false);
    assert.equal(verifyKeyedHash(key, 'p8e-secret', hash.slice(0, -1)), false);
    assert.equal(verifyKeyedHash(key, 'p8e-secret', `h2:${hash.slice(3)}`), false);
  });

  void it('refuses a short key', () => {
    assert.throws(() => keyedHash(Buffer.alloc(16), 'x'), RangeError);
  });
});
