export { auditCsv } from './audit-trail.js';
export type {
  Actor,
  ConsoleContext,
  ConsoleDeps,
  ConsoleSettings,
  InvitationMailer,
  InvitationMessage,
  TokenRevoker,
} from './console-deps.js';
export { defaultConsoleSettings } from './console-deps.js';
export {
  createConsoleDeps,
  createConsoleServices,
  type ConsoleServices,
  type ConsoleServicesOptions,
} from './console-services.js';
export { checkUploadedCertificate } from './certificate-upload.js';
export { MAX_ACTIVE_CERTIFICATES, MAX_CLIENT_SECRETS } from './credential-material.js';
export type { CertificateView, CredentialDetail, SecretView } from './credential-views.js';
export type { IssuedInvitation, InvitationView } from './invitations.js';
export { createSmtpMailer, invitationMail, type SmtpMailer, type SmtpMailerOptions } from './smtp-mailer.js';
export type { MemberView } from './members.js';
export { operatorView, type OperatorView } from './operators.js';
export {
  DEFAULT_SCRYPT_COST,
  createScryptHasher,
  type PasswordHasher,
  type ScryptCost,
} from './passwords.js';
export type { IssuedSession, ResolvedSession } from './sessions.js';
