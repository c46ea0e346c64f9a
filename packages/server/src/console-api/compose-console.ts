/**
 * The console API composition used by `startServer`: console services over the same storage, clock and secret key as
 * the IMS, revoking through the IMS services (so this instance stops a credential's tokens at once and the gateways
 * within their feed bound). Invitations are delivered through the log: an SMTP client is not part of this release,
 * so with `PIMS_SMTP_URL` set a warning says the link was logged instead (docs/operator-guide.md).
 */
import {
  createConsoleServices,
  createIdGenerator,
  systemClock,
  type Clock,
  type Config,
  type ConsoleServices,
  type ImsServices,
  type InvitationMailer,
  type KeyMaterial,
  type PasswordHasher,
  type Storage,
} from '@pims/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { consoleApiRoutes } from './console-api-routes.js';

export type ConsoleConfig = Pick<
  Readonly<Config>,
  'environment' | 'imsUrl' | 'orgIdSuffix' | 'technicalAccountSuffix' | 'smtpUrl'
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
}

export interface ConsoleComposition {
  services: ConsoleServices;
  routes: (app: FastifyInstance) => Promise<void>;
}

export function logMailer(logger: Logger, smtpUrl: string | undefined): InvitationMailer {
  return {
    deliver(message) {
      logger.info(
        { invitation: { email: message.email, org: message.orgName, role: message.role, link: message.link } },
        smtpUrl === undefined
          ? 'invitation link (no PIMS_SMTP_URL: hand it to the invitee)'
          : 'invitation link (SMTP delivery is not implemented yet: hand it to the invitee)',
      );
      return Promise.resolve();
    },
  };
}

export function composeConsole(options: ComposeConsoleOptions): ConsoleComposition {
  const { config, ims } = options;
  const services = createConsoleServices({
    storage: options.storage,
    settings: { environment: config.environment, consoleUrl: config.imsUrl },
    ids: createIdGenerator({ orgIdSuffix: config.orgIdSuffix, technicalAccountSuffix: config.technicalAccountSuffix }),
    secretKey: options.keyMaterial.secretKey,
    clock: options.clock ?? systemClock,
    mailer: logMailer(options.logger, config.smtpUrl),
    revoker: {
      revokeCredential: (credential) => ims.revokeCredential(credential),
      revokeOrg: (orgId) => ims.revokeOrg(orgId),
      invalidateClient: (clientId) => ims.clients.invalidate(clientId),
    },
    ...(options.passwords ? { passwords: options.passwords } : {}),
  });
  return { services, routes: consoleApiRoutes({ services }) };
}
