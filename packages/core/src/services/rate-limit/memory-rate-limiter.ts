/**
 * In-memory sliding-window counter: the current fixed window's count plus the previous window's count weighted by
 * how much of it still overlaps the sliding window. O(1) per hit; keys whose windows have passed are swept, and the
 * number of keys is bounded so random client ids can't grow memory without limit.
 */
import type { Clock, RateLimitRule } from '../ims-settings.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

interface Counter {
  windowStart: number;
  count: number;
  previous: number;
  windowMs: number;
}

export interface MemoryRateLimiterOptions {
  clock: Clock;
  /**
   * Keys kept at most (default 100,000). When full, stale keys are swept, then the oldest are dropped down to nine
   * tenths of the bound, so that a spray of new keys (one per source address, say) pays for one sweep per tenth of the
   * bound instead of a walk over every key on every request.
   */
  maxKeys?: number;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const { clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const keepAfterSweep = Math.floor(maxKeys * 0.9);
  const counters = new Map<string, Counter>();

  function sweep(now: number): void {
    for (const [key, counter] of counters) {
      if (now - counter.windowStart >= 2 * counter.windowMs) counters.delete(key);
    }
    // Still (nearly) full: drop the oldest entries (a Map keeps insertion order).
    for (const key of counters.keys()) {
      if (counters.size <= keepAfterSweep) break;
      counters.delete(key);
    }
  }

  function current(key: string, rule: RateLimitRule, now: number): Counter {
    const windowStart = now - (now % rule.windowMs);
    const counter = counters.get(key);
    if (counter === undefined || counter.windowMs !== rule.windowMs) {
      if (counters.size >= maxKeys) sweep(now);
      const fresh = { windowStart, count: 0, previous: 0, windowMs: rule.windowMs };
      counters.set(key, fresh);
      return fresh;
    }
    if (counter.windowStart !== windowStart) {
      counter.previous = windowStart - counter.windowStart === rule.windowMs ? counter.count : 0;
      counter.windowStart = windowStart;
      counter.count = 0;
    }
    return counter;
  }

  return {
    hit(key, rule): Promise<RateLimitDecision> {
      const now = clock.now();
      const counter = current(key, rule, now);
      const elapsed = now - counter.windowStart;
      const weight = (rule.windowMs - elapsed) / rule.windowMs;
      const estimate = counter.previous * weight + counter.count;
      if (estimate + 1 > rule.limit) {
        const retryAfterMs =
          counter.count + 1 > rule.limit
            ? rule.windowMs - elapsed
            : Math.min(rule.windowMs - elapsed, rule.windowMs / 10);
        return Promise.resolve({
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
        });
      }
      counter.count += 1;
      return Promise.resolve({ allowed: true });
    },
  };
}
