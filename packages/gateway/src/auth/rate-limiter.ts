/**
 * Per-client-id rate limit: a fixed window counter, in memory, or shared between gateway instances through Redis
 * (`INCR` + `PEXPIRE` in one script) when `redisUrl` is set. When Redis fails the in-memory counter decides, so a
 * Redis outage neither blocks nor unlimits the Partner API.
 */
import type { Redis } from 'ioredis';
import type { Clock, GatewayLogger, RateLimitOptions } from '../gateway-options.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  hit(clientId: string): RateDecision | Promise<RateDecision>;
  close(): Promise<void>;
}

const ALLOWED: RateDecision = { allowed: true };

/** An in-memory fixed-window limiter; windows are keyed by client id and swept when they end. */
export function createMemoryRateLimiter(limits: RateLimitOptions, clock: Clock): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let sweptAt = clock.now();
  return {
    hit(clientId) {
      const now = clock.now();
      if (now - sweptAt > limits.windowMs * 10) {
        for (const [id, w] of windows) if (now - w.start >= limits.windowMs) windows.delete(id);
        sweptAt = now;
      }
      let window = windows.get(clientId);
      if (window === undefined || now - window.start >= limits.windowMs) {
        window = { start: now, count: 0 };
        windows.set(clientId, window);
      }
      window.count++;
      if (window.count <= limits.max) return ALLOWED;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + limits.windowMs - now) / 1000)),
      };
    },
    close: () => Promise.resolve(),
  };
}

const SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

/** A limiter whose counters live in Redis (`pims:gw:rl:<client id>`), shared by every gateway instance. */
export async function createRedisRateLimiter(
  limits: RateLimitOptions,
  redisUrl: string,
  clock: Clock,
  logger: GatewayLogger,
): Promise<RateLimiter> {
  const { Redis } = await import('ioredis');
  const redis: Redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  await redis
    .connect()
    .catch((err: unknown) => logger.warn({ err: String(err) }, 'gateway: Redis unavailable'));
  const fallback = createMemoryRateLimiter(limits, clock);
  return {
    async hit(clientId) {
      try {
        const [count, ttl] = (await redis.eval(SCRIPT, 1, `pims:gw:rl:${clientId}`, limits.windowMs)) as [
          number,
          number,
        ];
        if (count <= limits.max) return ALLOWED;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(ttl, 0) / 1000)) };
      } catch {
        return fallback.hit(clientId);
      }
    },
    async close() {
      redis.disconnect();
      await fallback.close();
    },
  };
}
