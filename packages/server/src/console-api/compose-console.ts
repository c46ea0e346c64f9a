/**
 * The console API composition used by `startServer`: console services over the same storage, clock and secret key as
 * the IMS, revoking through the IMS services (so this instance stops a credential's tokens at once and the gateways
 * within their feed bound). Invitations are e-mailed through SMTP when `PIMS_SMTP_URL` is set (a failure is logged
 * and answered `emailSent: false`), logged otherwise. Login throttling counts in Redis when `PIMS_REDIS_URL` is set
 * (shared by every instance), in memory otherwise. The SMTP pool and the Redis connection close with the app.
 */
import {
  connectRedis,
  createConsoleServices,
  createIdGenerator,
  createMemoryRateLimiter,
  createRedisRateLimiter,
  createSmtpMailer,
  systemClock,
  type Clock,
  type Config,
  type ConsoleServices,
  type ImsServices,
  type InvitationMailer,
  type KeyMaterial,
  type PasswordHasher,
  type RateLimiter,
  type Storage,
} from '@pims/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { consoleApiRoutes } from './console-api-routes.js';

export type ConsoleConfig = Pick<
  Readonly<Config>,
  'environment' | 'imsUrl' | 'orgIdSuffix' | 'technicalAccountSuffix' | 'smtpUrl' | 'smtpFrom' | 'redisUrl'
>;

export interface ComposeConsoleOptions {
  config: ConsoleConfig;
  storage: Storage;
  keyMaterial: KeyMaterial;
  logger: Logger;
  ims: Pick<ImsServices, 'revokeCredential' | 'revokeOrg' | 'clients'>;
  clock?: Clock;
  /** Tests inject a cheap hasher. */
  passwords?: PasswordHasher;
  /** Tests inject a mailer; default SMTP with `smtpUrl`, the log otherwise. */
  mailer?: InvitationMailer;
}

export interface ConsoleComposition {
  services: ConsoleServices;
  /** Registers the routes; closing the app closes the SMTP pool and the Redis connection. */
  routes: (app: FastifyInstance) => Promise<void>;
  close(): Promise<void>;
}

/** Without SMTP: the link goes to the log (and is returned to whoever invited). */
export function logMailer(logger: Logger): InvitationMailer {
  return {
    deliver(message) {
      logger.info(
        {
          invitation: { email: message.email, org: message.orgName, role: message.role, link: message.link },
        },
        'invitation link (no PIMS_SMTP_URL: hand it to the invitee)',
      );
      return Promise.resolve(false);
    },
  };
}

/** The sender when `PIMS_SMTP_FROM` is not set: `noreply@<host of the IMS URL>`. */
export function defaultSender(imsUrl: string): string {
  return `noreply@${new URL(imsUrl).hostname}`;
}

export function composeConsole(options: ComposeConsoleOptions): ConsoleComposition {
  const { config, ims, logger } = options;
  const clock = options.clock ?? systemClock;
  const smtp =
    options.mailer === undefined && config.smtpUrl !== undefined
      ? createSmtpMailer({ url: config.smtpUrl, from: config.smtpFrom ?? defaultSender(config.imsUrl) })
      : undefined;
  const redis = config.redisUrl === undefined ? undefined : connectRedis(config.redisUrl);
  redis?.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis error (console)'));
  const rateLimiter: RateLimiter = redis
    ? createRedisRateLimiter({ redis, clock, prefix: 'pims:console-rl:' })
    : createMemoryRateLimiter({ clock });
  const services = createConsoleServices({
    storage: options.storage,
    settings: { environment: config.environment, consoleUrl: config.imsUrl },
    ids: createIdGenerator({
      orgIdSuffix: config.orgIdSuffix,
      technicalAccountSuffix: config.technicalAccountSuffix,
    }),
    secretKey: options.keyMaterial.secretKey,
    clock,
    mailer: options.mailer ?? smtp ?? logMailer(logger),
    // Never the link or the message: the error's code and SMTP reply code say what went wrong.
    onMailFailed: (err, invitation) => {
      const { code, responseCode } = err as { code?: unknown; responseCode?: unknown };
      logger.warn(
        { invitation, err: { code, responseCode } },
        'invitation e-mail not sent: the link was returned to whoever invited (emailSent false)',
      );
    },
    rateLimiter,
    revoker: {
      revokeCredential: (credential) => ims.revokeCredential(credential),
      revokeOrg: (orgId) => ims.revokeOrg(orgId),
      invalidateClient: (clientId) => ims.clients.invalidate(clientId),
    },
    ...(options.passwords ? { passwords: options.passwords } : {}),
  });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      smtp?.close();
      // QUIT waits for a connection that may never come (Redis down): then just drop it.
      if (redis?.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis?.disconnect();
    })());
  const register = consoleApiRoutes({ services });
  return {
    services,
    async routes(app) {
      app.addHook('onClose', close);
      await register(app);
    },
    close,
  };
}
