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

void test('a full limiter drops its oldest tenth at once, so a spray of new keys does not sweep on every request', async () => {
  const clock = fakeClock(0);
  const rule = { limit: 1, windowMs: 60_000 };
  const limiter = createMemoryRateLimiter({ clock, maxKeys: 100 });
  for (let i = 0; i < 100; i += 1) await limiter.hit(`k${i}`, rule);
  await limiter.hit('k100', rule); // full, nothing stale: the sweep drops k0…k9 (down to 90 keys), then adds k100
  const allowed = async (key: string) => (await limiter.hit(key, rule)).allowed;
  // Forgotten keys start a fresh window (allowed again); every later key is still counted (denied).
  assert.deepEqual(await Promise.all(['k0', 'k9'].map(allowed)), [true, true]);
  assert.deepEqual(await Promise.all(['k10', 'k50', 'k99', 'k100'].map(allowed)), [
    false,
    false,
    false,
    false,
  ]);
});
