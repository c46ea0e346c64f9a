import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortedError, ImsError, NetworkError, TimeoutError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, withRetry } from './retry.js';
import { createFakeClock } from './testing/fixtures.js';

void test('full-jitter backoff grows exponentially up to the cap', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999999)),
    [99, 199, 399, 799, 999, 999],
  );
  assert.equal(
    backoffDelay(3, policy, () => 0),
    0,
  );
});

void test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.UTC(2030, 0, 1);
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

void test('network errors, timeouts, 5xx and 429 are retryable; 4xx and aborts are not', () => {
  const ims = (status: number) =>
    new ImsError(status >= 500 ? 'ims_unavailable' : 'ims_rejected', '/x', { status });
  assert.equal(isRetryable(new NetworkError('x')), true);
  assert.equal(isRetryable(new TimeoutError('x', 1)), true);
  assert.equal(isRetryable(ims(503)), true);
  assert.equal(isRetryable(ims(429)), true);
  for (const status of [400, 401, 403, 404]) assert.equal(isRetryable(ims(status)), false);
  assert.equal(isRetryable(new AbortedError()), false);
});

void test('withRetry gives up after the configured retries and sleeps between attempts', async () => {
  const clock = createFakeClock();
  let calls = 0;
  await assert.rejects(
    withRetry(
      () => {
        calls += 1;
        return Promise.reject(new NetworkError('down'));
      },
      { policy: { ...DEFAULT_RETRY_POLICY, retries: 2 }, clock, random: () => 0.5 },
    ),
    NetworkError,
  );
  assert.equal(calls, 3);
  assert.deepEqual(clock.sleeps, [100, 200]);
});

void test('a Retry-After longer than the cap fails at once instead of waiting', async () => {
  const clock = createFakeClock();
  const error = new ImsError('ims_unavailable', '/x', { status: 429, retryAfterMs: 3_600_000 });
  let calls = 0;
  await assert.rejects(
    withRetry(
      () => {
        calls += 1;
        return Promise.reject(error);
      },
      { policy: DEFAULT_RETRY_POLICY, clock },
    ),
    (e) => e === error,
  );
  assert.equal(calls, 1);
  assert.deepEqual(clock.sleeps, []);
});
