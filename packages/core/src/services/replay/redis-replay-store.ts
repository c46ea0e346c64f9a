/** Replay store on Redis (`PIMS_REDIS_URL`): `SET key value NX PXAT expiresAt`, atomic across instances. */
import type { Redis } from 'ioredis';
import type { AccessTokenClaims } from '../../tokens/token-types.js';
import type { Clock } from '../ims-settings.js';
import type { ReplayStore } from './replay-store.js';

export interface RedisReplayStoreOptions {
  redis: Redis;
  clock: Clock;
  /** Key prefix (default `pims:ua:`). */
  prefix?: string;
}

interface StoredValue {
  clientId: string;
  expiresAt: number;
  tokenClaims: AccessTokenClaims | null;
}

export function createRedisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  const { redis, clock } = options;
  const prefix = options.prefix ?? 'pims:ua:';
  return {
    async claim(entry) {
      // An entry already past its time is simply free: PXAT in the past would not store it at all.
      const expiresAt = Math.max(entry.expiresAt, clock.now() + 1000);
      const value: StoredValue = { clientId: entry.clientId, expiresAt, tokenClaims: entry.tokenClaims };
      const result = await redis.set(`${prefix}${entry.key}`, JSON.stringify(value), 'PXAT', expiresAt, 'NX');
      return result === 'OK';
    },
    async find(key) {
      const raw = await redis.get(`${prefix}${key}`);
      if (raw === null) return undefined;
      const value = JSON.parse(raw) as StoredValue;
      if (value.expiresAt <= clock.now()) return undefined;
      return { key, expiresAt: value.expiresAt, tokenClaims: value.tokenClaims };
    },
  };
}
