/**
 * The Redis connection of the replay store and rate limiter (`PIMS_REDIS_URL`). It fails fast instead of queueing
 * commands while Redis is away, so the token endpoints answer 503 at once then (never a token).
 */
import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
}
