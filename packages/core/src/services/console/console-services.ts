/**
 * The console services, bound once per process to their dependencies (`createConsoleServices`). Each method takes the
 * request's context (who, from where) first; the route layer builds it from the session.
 */
import { keyedHash, verifyKeyedHash } from '../../crypto/keyed-hash.js';
import { randomSecret } from '../../crypto/random.js';
import type { IdGenerator } from '../../ids.js';
import type { Storage } from '../../stores/stores.js';
import { systemClock, type Clock } from '../ims-settings.js';
import { createMemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import * as audit from './audit-trail.js';
import type { ConsoleDeps, ConsoleSettings, InvitationMailer, TokenRevoker } from './console-deps.js';
import { defaultConsoleSettings } from './console-deps.js';
import * as material from './credential-material.js';
import * as credentials from './credentials.js';
import * as invitations from './invitations.js';
import * as members from './members.js';
import * as operators from './operators.js';
import * as orgs from './organizations.js';
import { createScryptHasher, type PasswordHasher } from './passwords.js';
import * as projects from './projects.js';
import * as sessions from './sessions.js';

export interface ConsoleServicesOptions {
  storage: Storage;
  settings: Pick<ConsoleSettings, 'environment' | 'consoleUrl'> & Partial<ConsoleSettings>;
  ids: IdGenerator;
  /** ≥ 32-byte key of the keyed hashes (config `secretKey`). */
  secretKey: Buffer;
  revoker: TokenRevoker;
  mailer: InvitationMailer;
  onMailFailed?: ConsoleDeps['onMailFailed'];
  clock?: Clock;
  passwords?: PasswordHasher;
  rateLimiter?: RateLimiter;
}

const bind =
  <A extends unknown[], R>(deps: ConsoleDeps, fn: (deps: ConsoleDeps, ...args: A) => R) =>
  (...args: A): R =>
    fn(deps, ...args);

export function createConsoleDeps(options: ConsoleServicesOptions): ConsoleDeps {
  const clock = options.clock ?? systemClock;
  return {
    storage: options.storage,
    settings: {
      ...defaultConsoleSettings,
      ...options.settings,
      consoleUrl: options.settings.consoleUrl.replace(/\/+$/, ''),
    },
    clock,
    ids: options.ids,
    hashToken: (value) => keyedHash(options.secretKey, value),
    verifyToken: (value, hash) => verifyKeyedHash(options.secretKey, value, hash),
    randomToken: (bytes) => randomSecret(bytes),
    passwords: options.passwords ?? createScryptHasher(),
    rateLimiter: options.rateLimiter ?? createMemoryRateLimiter({ clock }),
    mailer: options.mailer,
    onMailFailed: options.onMailFailed ?? (() => undefined),
    revoker: options.revoker,
  };
}

export function createConsoleServices(options: ConsoleServicesOptions) {
  const deps = createConsoleDeps(options);
  return {
    deps,
    createOperator: bind(deps, operators.createOperator),
    createOrg: bind(deps, orgs.createOrg),
    listOrgs: bind(deps, orgs.listOrgs),
    getOrg: bind(deps, orgs.getOrg),
    setOrgStatus: bind(deps, orgs.setOrgStatus),
    inviteMember: bind(deps, invitations.inviteMember),
    listInvitations: bind(deps, invitations.listInvitations),
    revokeInvitation: bind(deps, invitations.revokeInvitation),
    acceptInvitation: bind(deps, invitations.acceptInvitation),
    login: bind(deps, sessions.login),
    resolveSession: bind(deps, sessions.resolveSession),
    checkCsrfToken: (sessionToken: string, presented: string) =>
      sessions.checkCsrfToken(deps, sessionToken, presented),
    csrfTokenFor: (sessionToken: string) => sessions.csrfTokenFor(deps, sessionToken),
    logout: bind(deps, sessions.logout),
    listOwnSessions: bind(deps, sessions.listOwnSessions),
    revokeOwnSession: bind(deps, sessions.revokeOwnSession),
    changePassword: bind(deps, sessions.changePassword),
    listMembers: bind(deps, members.listMembers),
    changeMemberRole: bind(deps, members.changeMemberRole),
    setMemberStatus: bind(deps, members.setMemberStatus),
    removeMember: bind(deps, members.removeMember),
    createProject: bind(deps, projects.createProject),
    listProjects: bind(deps, projects.listProjects),
    getProject: bind(deps, projects.getProject),
    updateProject: bind(deps, projects.updateProject),
    deleteProject: bind(deps, projects.deleteProject),
    createCredential: bind(deps, credentials.createCredential),
    listCredentials: bind(deps, credentials.listCredentials),
    getCredential: bind(deps, credentials.getCredential),
    updateCredential: bind(deps, credentials.updateCredential),
    setCredentialStatus: bind(deps, credentials.setCredentialStatus),
    deleteCredential: bind(deps, credentials.deleteCredential),
    credentialWorkspace: bind(deps, credentials.credentialWorkspace),
    addClientSecret: bind(deps, material.addClientSecret),
    deleteClientSecret: bind(deps, material.deleteClientSecret),
    addCertificate: bind(deps, material.addCertificate),
    revokeCertificate: bind(deps, material.revokeCertificate),
    listOrgAudit: bind(deps, audit.listOrgAudit),
    listAllAudit: bind(deps, audit.listAllAudit),
  };
}

export type ConsoleServices = ReturnType<typeof createConsoleServices>;
