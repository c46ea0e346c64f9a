/**
 * Redis fixed-window counter shared by every instance: one key per (key, window), `INCR` and `PEXPIRE` in one script,
 * so a crash between them can't leave a counter that never expires.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../ims-settings.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

export interface RedisRateLimiterOptions {
  redis: Redis;
  clock: Clock;
  /** Key prefix (default `pims:rl:`). */
  prefix?: string;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, clock } = options;
  const prefix = options.prefix ?? 'pims:rl:';
  return {
    async hit(key, rule): Promise<RateLimitDecision> {
      const now = clock.now();
      const windowStart = now - (now % rule.windowMs);
      const count = Number(
        await redis.eval(HIT_SCRIPT, 1, `${prefix}${key}:${windowStart}`, String(rule.windowMs * 2)),
      );
      if (count > rule.limit) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)),
        };
      }
      return { allowed: true };
    },
  };
}
