import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import type { ImsKeySet } from '../keys/ims-key-set.js';
import { RevocationList } from '../revocation/revocation-list.js';
import { createTestSigningKey, manualClock, mintAccessToken } from '../testing/index.js';
import { createAuthenticator, type AuthRequest } from './authenticator.js';
import { TokenCache } from './token-cache.js';

describe('authenticator and verified-token cache', () => {
  const key = createTestSigningKey('k1');

  function setup() {
    const clock = manualClock(1_900_000_000_000);
    let resolves = 0;
    const trusted = new Map<string, KeyObject>([['k1', key.publicKey]]);
    const keys: ImsKeySet = {
      get: (kid) => trusted.get(kid),
      resolve: (kid) => {
        resolves++;
        return Promise.resolve(trusted.get(kid));
      },
      start: () => Promise.resolve(),
      refresh: () => Promise.resolve(true),
      stop: () => Promise.resolve(),
      size: 1,
    };
    const revocations = new RevocationList();
    const cache = new TokenCache(2);
    const auth = createAuthenticator({
      issuer: 'https://ims.test',
      imsUrl: 'https://ims.test',
      maxHeaderBytes: 8192,
      maxTokenBytes: 4096,
      clock,
      keys,
      revocations,
      cache,
      rateLimiter: undefined,
    });
    const request = (token: string): AuthRequest => ({
      rawUrl: '/v3/customers',
      rawHeaders: ['Authorization', `Bearer ${token}`, 'X-Api-Key', 'client-a'],
      authorization: `Bearer ${token}`,
      apiKey: 'client-a',
    });
    const mint = (jti: string, lifetimeSeconds = 3600) =>
      mintAccessToken(key, {
        issuer: 'https://ims.test',
        clientId: 'client-a',
        orgId: 'org-a',
        iat: clock.now() / 1000,
        lifetimeSeconds,
        jti,
      });
    return { clock, auth, request, mint, revocations, cache, trusted, resolves: () => resolves };
  }

  test('a token seen before is not verified again, and the hit is synchronous', async () => {
    const t = setup();
    const token = await t.mint('j1');
    const first = await t.auth.authenticate(t.request(token));
    assert.equal(first.ok, true);
    assert.equal(t.resolves(), 1);
    const second = t.auth.authenticate(t.request(token));
    assert.ok(!(second instanceof Promise));
    assert.equal(second.ok, true);
    assert.equal(t.resolves(), 1);
  });

  test('expiry and revocation are checked on every hit', async () => {
    const t = setup();
    const token = await t.mint('j2', 60);
    assert.equal((await t.auth.authenticate(t.request(token))).ok, true);
    t.revocations.add({ seq: 1, kind: 'token', subject: 'j2', expires_at: t.clock.now() + 60_000 });
    const revoked = await t.auth.authenticate(t.request(token));
    assert.equal(revoked.ok, false);
    const other = await t.mint('j3', 60);
    assert.equal((await t.auth.authenticate(t.request(other))).ok, true);
    t.clock.advance(60_000);
    const expired = await t.auth.authenticate(t.request(other));
    assert.equal(!expired.ok && expired.reason, 'expired');
  });

  test('a cached token whose key is no longer trusted is verified again (and fails)', async () => {
    const t = setup();
    const token = await t.mint('j4');
    assert.equal((await t.auth.authenticate(t.request(token))).ok, true);
    t.trusted.delete('k1');
    const result = await t.auth.authenticate(t.request(token));
    assert.equal(!result.ok && result.reason, 'unknown_key');
  });

  test('a token differing from a cached one in any part misses the cache and is verified (and fails)', async () => {
    const t = setup();
    const token = await t.mint('j5');
    assert.equal((await t.auth.authenticate(t.request(token))).ok, true);
    const [header = '', payload = '', signature = ''] = token.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), org: 'org-b' }),
    ).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    for (const forged of [`${header}.${otherPayload}.${signature}`, `${header}.${payload}.${flipped}`]) {
      const result = await t.auth.authenticate(t.request(forged));
      assert.equal(!result.ok && result.reason, 'bad_signature');
    }
    assert.equal(t.resolves(), 3, 'each forged token went to signature verification');
  });

  test('a token seen three times and more (found by its exact string) still gets every per-request check', async () => {
    const t = setup();
    const token = await t.mint('j6', 60);
    for (let i = 0; i < 4; i++) assert.equal((await t.auth.authenticate(t.request(token))).ok, true);
    assert.equal(t.resolves(), 1, 'verified once');
    const hit = t.auth.authenticate(t.request(token));
    assert.ok(!(hit instanceof Promise), 'a hit by string is synchronous');
    t.revocations.add({ seq: 1, kind: 'token', subject: 'j6', expires_at: t.clock.now() + 60_000 });
    const revoked = await t.auth.authenticate(t.request(token));
    assert.equal(!revoked.ok && revoked.reason, 'revoked');

    const other = await t.mint('j7', 60);
    for (let i = 0; i < 3; i++) assert.equal((await t.auth.authenticate(t.request(other))).ok, true);
    const wrongKey = await t.auth.authenticate({ ...t.request(other), apiKey: 'client-b' });
    assert.equal(!wrongKey.ok && wrongKey.reason, 'api_key');
    t.trusted.delete('k1');
    const untrusted = await t.auth.authenticate(t.request(other));
    assert.equal(!untrusted.ok && untrusted.reason, 'unknown_key');
    t.trusted.set('k1', key.publicKey);
    t.clock.advance(60_000);
    const expired = await t.auth.authenticate(t.request(other));
    assert.equal(!expired.ok && expired.reason, 'expired');
  });

  test('the cache is bounded (LRU)', async () => {
    const t = setup();
    for (const jti of ['a', 'b', 'c']) await t.auth.authenticate(t.request(await t.mint(jti)));
    assert.equal(t.cache.size, 2);
  });
});
