import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { manualClock } from '../testing/index.js';
import { createRedisRateLimiter } from './rate-limiter.js';

const redisUrl = process.env.PIMS_TEST_REDIS_URL;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

// Runs when PIMS_TEST_REDIS_URL is set (docs/decisions/0001); then an unreachable Redis fails the test.
if (redisUrl !== undefined) {
  describe('rate limit shared through Redis', () => {
    test('two gateway instances share one counter per client id', async () => {
      const limits = { max: 3, windowMs: 60_000 };
      const a = await createRedisRateLimiter(limits, redisUrl, manualClock(), silent);
      const b = await createRedisRateLimiter(limits, redisUrl, manualClock(), silent);
      try {
        const client = `client-${randomUUID()}`;
        const decisions = [];
        for (const limiter of [a, b, a, b]) decisions.push(await limiter.hit(client));
        assert.deepEqual(decisions.slice(0, 3), [{ allowed: true }, { allowed: true }, { allowed: true }]);
        const last = decisions[3];
        assert.ok(
          last !== undefined && !last.allowed && last.retryAfterSeconds >= 1 && last.retryAfterSeconds <= 60,
        );
        assert.deepEqual(await a.hit(`client-${randomUUID()}`), { allowed: true });
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
