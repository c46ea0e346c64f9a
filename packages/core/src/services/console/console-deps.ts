/**
 * What the console services (operators, orgs, people, projects, credentials, audit) get from the composition root:
 * one typed object. Clock, ids, randomness and hashing are injected so tests use fake time and cheap hashing.
 */
import type { Environment } from '../../config/config-types.js';
import type { IdGenerator } from '../../ids.js';
import type { Storage } from '../../stores/stores.js';
import type { Clock } from '../ims-settings.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { PasswordHasher } from './passwords.js';

export type Actor =
  | { type: 'operator'; id: string }
  | { type: 'user'; id: string }
  /** The command line, run by whoever holds the database (`pims operator|org …`). */
  | { type: 'system'; id: null }
  | { type: 'anonymous'; id: null };

/** Who asks, from where, in which request: every audit row carries it. */
export interface ConsoleContext {
  actor: Actor;
  ip: string | null;
  requestId: string | null;
  /** The session the request came with, if any. */
  sessionId?: string;
}

/** An invitation link to deliver (SMTP when configured; the log otherwise). */
export interface InvitationMessage {
  email: string;
  orgName: string;
  role: string;
  link: string;
  expiresAt: number;
}

/** Delivers invitation links: SMTP when `PIMS_SMTP_URL` is set (`createSmtpMailer`), the log otherwise. */
export interface InvitationMailer {
  /** True when a mail server accepted the message, false when the link was only logged; rejects when sending failed. */
  deliver(message: InvitationMessage): Promise<boolean>;
}

/** Stops tokens already issued (the IMS revocation service; gateways learn it through the revocation feed). */
export interface TokenRevoker {
  revokeCredential(credential: { orgId: string; clientId: string }): Promise<unknown>;
  revokeOrg(orgId: string): Promise<unknown>;
  /** Drops cached client lookups after a secret or certificate changed. */
  invalidateClient(clientId: string): void;
}

export interface ConsoleSettings {
  environment: Environment;
  /** Base URL the console is served from (invitation links), no trailing slash. */
  consoleUrl: string;
  invitationTtlMs: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Login attempts per account and source address, and per address alone. */
  loginPerAccountAddress: { limit: number; windowMs: number };
  loginPerAddress: { limit: number; windowMs: number };
}

export const defaultConsoleSettings = {
  invitationTtlMs: 7 * 24 * 3_600_000,
  sessionIdleMs: 30 * 60_000,
  sessionAbsoluteMs: 12 * 3_600_000,
  loginPerAccountAddress: { limit: 10, windowMs: 15 * 60_000 },
  loginPerAddress: { limit: 100, windowMs: 15 * 60_000 },
} as const satisfies Partial<ConsoleSettings>;

export interface ConsoleDeps {
  storage: Storage;
  settings: ConsoleSettings;
  clock: Clock;
  ids: IdGenerator;
  /** Keyed hash of a token or secret as stored (`keyedHash` with the server's secret key). */
  hashToken(value: string): string;
  /** Constant-time check of a value against a stored keyed hash. */
  verifyToken(value: string, hash: string): boolean;
  /** `n` random bytes, base64url (≥ 16). */
  randomToken(bytes?: number): string;
  passwords: PasswordHasher;
  rateLimiter: RateLimiter;
  mailer: InvitationMailer;
  /** Told when an invitation e-mail could not be sent (the invitation stands; the response says `emailSent: false`). */
  onMailFailed(err: unknown, invitation: { id: string; orgId: string }): void;
  revoker: TokenRevoker;
}
