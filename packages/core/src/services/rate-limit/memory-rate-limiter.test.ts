import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeClock } from '../test-support/ims-fixture.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';

void test('allows the limit per window, then refuses with Retry-After, and recovers as the window slides', async () => {
  const clock = fakeClock(1_000_000);
  const limiter = createMemoryRateLimiter({ clock });
  const rule = { limit: 3, windowMs: 10_000 };
  for (let i = 0; i < 3; i += 1) assert.deepEqual(await limiter.hit('a', rule), { allowed: true });
  const denied = await limiter.hit('a', rule);
  assert.equal(denied.allowed, false);
  assert.ok(!denied.allowed && denied.retryAfterSeconds >= 1 && denied.retryAfterSeconds <= 10);
  assert.deepEqual(await limiter.hit('b', rule), { allowed: true }, 'keys are independent');
  clock.advance(10_000); // next window: the previous one still weighs fully at its start
  assert.equal((await limiter.hit('a', rule)).allowed, false);
  clock.advance(10_000);
  assert.deepEqual(await limiter.hit('a', rule), { allowed: true });
});

void test('the number of keys stays bounded', async () => {
  const clock = fakeClock(0);
  const limiter = createMemoryRateLimiter({ clock, maxKeys: 100 });
  for (let i = 0; i < 1000; i += 1) await limiter.hit(`k${i}`, { limit: 1, windowMs: 1000 });
  // The newest key is still counted; memory did not grow past the bound (checked through behaviour).
  assert.equal((await limiter.hit('k999', { limit: 1, windowMs: 1000 })).allowed, false);
});
