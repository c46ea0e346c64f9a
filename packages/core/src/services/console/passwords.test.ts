import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SCRYPT_COST, createScryptHasher } from './passwords.js';

test('scrypt: per-password salt, verify, refuses wrong and malformed hashes; default cost is OWASP minimum', async () => {
  const hasher = createScryptHasher({ logN: 10, r: 8, p: 1 });
  const a = await hasher.hash('a long passphrase');
  const b = await hasher.hash('a long passphrase');
  assert.match(a, /^scrypt\$10\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
  assert.equal(await hasher.verify('a long passphrase', a), true);
  assert.equal(await hasher.verify('a long passphrase!', a), false);
  for (const bad of ['', 'scrypt$99$8$1$x$y', 'bcrypt$x', `${a}x`])
    assert.equal(await hasher.verify('a long passphrase', bad), false);
  assert.deepEqual(DEFAULT_SCRYPT_COST, { logN: 17, r: 8, p: 1 });
});
