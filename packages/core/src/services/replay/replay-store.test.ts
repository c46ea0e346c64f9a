/**
 * The replay store contract on storage (always) and on Redis (when `PIMS_TEST_REDIS_URL` is set; an unreachable
 * Redis then fails the run rather than skipping it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { systemClock } from '../ims-settings.js';
import { createRedisRateLimiter } from '../rate-limit/redis-rate-limiter.js';
import { createImsFixture } from '../test-support/ims-fixture.js';
import { createRedisReplayStore } from './redis-replay-store.js';
import type { ReplayStore } from './replay-store.js';
import { createStorageReplayStore } from './storage-replay-store.js';

function contract(
  name: string,
  make: () => Promise<{ store: ReplayStore; now: () => number; close: () => Promise<unknown> }>,
) {
  void describe(`replay store: ${name}`, () => {
    test('50 concurrent claims of one key: exactly one wins; find returns the stored claims', async () => {
      const { store, now, close } = await make();
      try {
        const key = `k-${randomUUID()}`;
        const entry = { key, clientId: 'c', expiresAt: now() + 60_000, tokenClaims: null };
        const results = await Promise.all(Array.from({ length: 50 }, () => store.claim(entry)));
        assert.equal(results.filter(Boolean).length, 1);
        const claims = { jti: 'x' } as never;
        const other = `k-${randomUUID()}`;
        assert.equal(await store.claim({ ...entry, key: other, tokenClaims: claims }), true);
        assert.deepEqual((await store.find(other))?.tokenClaims, claims);
        assert.equal(await store.find(`k-${randomUUID()}`), undefined);
      } finally {
        await close();
      }
    });
  });
}

contract('storage', async () => {
  const fx = await createImsFixture();
  return {
    store: createStorageReplayStore(fx.storage.usedAssertions, fx.clock),
    now: () => fx.clock.now(),
    close: () => fx.close(),
  };
});

const redisUrl = process.env.PIMS_TEST_REDIS_URL;
if (redisUrl) {
  const connect = async () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    await redis.ping(); // unreachable: the test fails here
    return redis;
  };
  contract('redis', async () => {
    const redis = await connect();
    return {
      store: createRedisReplayStore({ redis, clock: systemClock, prefix: `test:${randomUUID()}:` }),
      now: () => systemClock.now(),
      close: async () => void (await redis.quit()),
    };
  });
  void describe('rate limiter: redis', () => {
    let redis: Redis | undefined;
    after(() => redis?.quit());
    test('counts across callers and refuses beyond the limit with Retry-After', async () => {
      redis = await connect();
      const limiter = createRedisRateLimiter({ redis, clock: systemClock, prefix: `test:${randomUUID()}:` });
      const rule = { limit: 5, windowMs: 60_000 };
      const results = await Promise.all(Array.from({ length: 8 }, () => limiter.hit('k', rule)));
      assert.equal(results.filter((r) => r.allowed).length, 5);
      const denied = results.find((r) => !r.allowed);
      assert.ok(denied && !denied.allowed && denied.retryAfterSeconds >= 1);
    });
  });
}
