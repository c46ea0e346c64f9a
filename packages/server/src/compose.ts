/**
 * The IMS services composition used by `startServer` (one composition root per process): signing-key ring, token
 * issuer and verifier, replay store and rate limiter (Redis when `PIMS_REDIS_URL` is set, else storage and memory),
 * and the `/ims/*` route group.
 */
import {
  connectRedis,
  createImsServices,
  createRedisRateLimiter,
  createRedisReplayStore,
  createSigningKeyRing,
  createTokenIssuer,
  createTokenVerifier,
  imsSettings,
  systemClock,
  verifyKeyedHash,
  type Clock,
  type Config,
  type ImsServices,
  type ImsSettings,
  type KeyMaterial,
  type SigningKeyRing,
  type Storage,
} from '@pims/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { imsRoutes } from './ims/ims-routes.js';

export type ImsConfig = Pick<
  Readonly<Config>,
  | 'imsUrl'
  | 'imsName'
  | 'clockSkew'
  | 'assertionMaxLifetime'
  | 'accessTokenLifetime'
  | 'rateLimitClient'
  | 'rateLimitAddress'
  | 'maxBodyBytes'
  | 'redisUrl'
>;

export interface ComposeImsOptions {
  config: ImsConfig;
  storage: Storage;
  keyMaterial: KeyMaterial;
  logger: Logger;
  clock?: Clock;
}

export interface ImsComposition {
  services: ImsServices;
  keyRing: SigningKeyRing;
  /** For `buildApp({ routes })`. */
  routes: (app: FastifyInstance) => Promise<void>;
  /** Readiness of what the IMS needs besides storage (Redis when configured). */
  checkReady(): Promise<void>;
  /** Stops key refreshes, writes pending secret uses and audit events, closes Redis. Storage is the caller's. */
  close(): Promise<void>;
}

export function imsSettingsFromConfig(config: ImsConfig): ImsSettings {
  return imsSettings({
    imsUrl: config.imsUrl,
    clockSkewSeconds: config.clockSkew,
    assertionMaxLifetimeSeconds: config.assertionMaxLifetime,
    accessTokenLifetimeSeconds: config.accessTokenLifetime,
    rateLimits: {
      perClient: { limit: config.rateLimitClient, windowMs: 60_000 },
      perAddress: { limit: config.rateLimitAddress, windowMs: 60_000 },
    },
  });
}

export async function composeIms(options: ComposeImsOptions): Promise<ImsComposition> {
  const { config, storage, keyMaterial, logger } = options;
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const keyRing = createSigningKeyRing({
    storage,
    kek: keyMaterial.keyEncryptionKey,
    clock: now,
    config,
    logger,
  });
  await keyRing.init();
  const stopRefresh = keyRing.startAutoRefresh();
  const redis = config.redisUrl === undefined ? undefined : connectRedis(config.redisUrl);
  redis?.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis error'));
  const services = createImsServices({
    stores: storage,
    settings: imsSettingsFromConfig(config),
    clock,
    issuer: createTokenIssuer({ keyRing, clock: now, config }),
    verifier: createTokenVerifier({ keys: keyRing, clock: now, config }),
    verifySecret: (secret, hash) => verifyKeyedHash(keyMaterial.secretKey, secret, hash),
    ...(redis
      ? {
          replay: createRedisReplayStore({ redis, clock }),
          rateLimiter: createRedisRateLimiter({ redis, clock }),
        }
      : {}),
    onAuditLost: (event, err) =>
      logger.error(
        { event, err: { code: (err as { code?: unknown }).code } },
        'audit event could not be written',
      ),
    onSecretUseLost: (err, dropped) =>
      logger.warn(
        { dropped, err: { code: (err as { code?: unknown }).code } },
        'last use of client secrets could not be written (dropped)',
      ),
  });
  return {
    services,
    keyRing,
    routes: imsRoutes({ services, keys: keyRing, maxBodyBytes: config.maxBodyBytes }),
    async checkReady() {
      if (redis) await redis.ping();
    },
    async close() {
      stopRefresh();
      await services.close();
      await redis?.quit().catch(() => undefined);
    },
  };
}
