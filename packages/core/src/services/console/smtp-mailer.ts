/**
 * Invitation e-mail through SMTP (`PIMS_SMTP_URL`, nodemailer). Plain text only: the org name goes into the subject
 * and body as given (nodemailer encodes headers and refuses line breaks in them; no HTML, so nothing to escape). Short
 * timeouts, because the inviting request waits for the mail server; a failure rejects, and the invitation service
 * reports it (`emailSent: false`) without losing the invitation.
 */
import nodemailer from 'nodemailer';
import type { InvitationMailer, InvitationMessage } from './console-deps.js';

export interface SmtpMailerOptions {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…`. */
  url: string;
  /** Sender address. */
  from: string;
  /** Connection, greeting and socket timeout (default 10 s). */
  timeoutMs?: number;
}

export interface SmtpMailer extends InvitationMailer {
  close(): void;
}

/** Subject and text of an invitation mail: the link is the only secret in it. */
export function invitationMail(message: InvitationMessage): { subject: string; text: string } {
  const orgName = message.orgName.replace(/[\r\n]+/g, ' ');
  return {
    subject: `Invitation to ${orgName} on Partner IMS`,
    text: [
      `You have been invited to join ${orgName} as ${message.role === 'admin' ? 'an admin' : 'a developer'}.`,
      '',
      'Open this link to accept the invitation and choose your password:',
      message.link,
      '',
      `The link works once and expires on ${new Date(message.expiresAt).toUTCString()}.`,
      'If you did not expect this invitation, ignore this message.',
      '',
    ].join('\n'),
  };
}

export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Plain smtp:// upgrades with STARTTLS whenever the server offers it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async deliver(message) {
      await transport.sendMail({ from: options.from, to: message.email, ...invitationMail(message) });
      return true;
    },
    close() {
      transport.close();
    },
  };
}
