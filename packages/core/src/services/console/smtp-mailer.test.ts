/**
 * Invitation e-mail against a real SMTP server in process (`smtp-server`, 127.0.0.1, port 0): the mail arrives with
 * the right recipient, subject and link and no other secret; a refused or unreachable server loses no invitation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createIdGenerator } from '../../ids.js';
import { createStorage, type OpenedStorage } from '../../storage/create-storage.js';
import type { ConsoleContext } from './console-deps.js';
import { createConsoleServices } from './console-services.js';
import { createScryptHasher } from './passwords.js';
import { createSmtpMailer } from './smtp-mailer.js';

const SMTP_USER = 'pims-mailer';
const SMTP_PASSWORD = 'smtp-password-7f3a9c2e';
const SECRET_KEY = Buffer.alloc(32, 5);
const SYSTEM: ConsoleContext = { actor: { type: 'system', id: null }, ip: null, requestId: null };

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

const received: Received[] = [];
const refuse = new Set<string>();
let server: SMTPServer;
let port: number;
let storage: OpenedStorage;

before(async () => {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error('invalid credentials'));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address))
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({
          from: from === false ? undefined : from.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
  storage = await createStorage({
    url: 'sqlite::memory:',
    dataDir: mkdtempSync(join(tmpdir(), 'pims-smtp-')),
  });
});

after(async () => {
  await storage.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function services(smtpUrl: string, failures: unknown[] = []) {
  const mailer = createSmtpMailer({ url: smtpUrl, from: 'invites@ims.example', timeoutMs: 3000 });
  const created = createConsoleServices({
    storage,
    settings: { environment: 'production', consoleUrl: 'https://ims.example/' },
    ids: createIdGenerator(),
    secretKey: SECRET_KEY,
    revoker: {
      revokeCredential: () => Promise.resolve(),
      revokeOrg: () => Promise.resolve(),
      invalidateClient: () => undefined,
    },
    mailer,
    onMailFailed: (err) => failures.push(err),
    passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }),
  });
  return { ...created, close: () => mailer.close() };
}

/** The text body, with quoted-printable soft line breaks and escapes undone. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

void describe('invitation e-mail through SMTP', () => {
  it('delivers the link to the invited address only, with the org in the subject, and no other secret', async () => {
    const s = services(`smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`);
    try {
      const created = await s.createOrg(SYSTEM, {
        name: 'Acme Distribution',
        admins: ['Alice@Acme.example'],
      });
      const [issued] = created.invitations;
      assert.ok(issued);
      assert.equal(issued.emailSent, true);
      assert.equal(received.length, 1);
      const mail = received[0]!;
      assert.deepEqual(mail.to, ['alice@acme.example']);
      assert.equal(mail.from, 'invites@ims.example');
      const text = decoded(mail.raw);
      assert.match(text, /^Subject: Invitation to Acme Distribution on Partner IMS$/m);
      assert.match(text, /^To: alice@acme\.example$/m);
      assert.ok(text.includes(issued.link), 'the link is in the mail');
      assert.match(issued.link, /^https:\/\/ims\.example\/console\/invitation#[A-Za-z0-9_-]{43}$/);
      // No other secret: not the SMTP password, the stored hash of the token, nor the server's key.
      const stored = await storage.db
        .selectFrom('invitations')
        .select('token_hash')
        .executeTakeFirstOrThrow();
      for (const secret of [
        SMTP_PASSWORD,
        stored.token_hash,
        stored.token_hash.slice(3),
        SECRET_KEY.toString('base64'),
      ])
        assert.ok(!mail.raw.includes(secret) && !text.includes(secret), 'no other secret in the mail');
      assert.ok(!/bcc|cc:/i.test(text.split(/\r?\n\r?\n/)[0] ?? ''), 'nobody else is addressed');
    } finally {
      s.close();
    }
  });

  it('a refused recipient loses no invitation: created, link returned, failure reported', async () => {
    refuse.add('bob@acme.example');
    const failures: unknown[] = [];
    const s = services(`smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`, failures);
    try {
      const org = await s.createOrg(SYSTEM, { name: 'Refusing', admins: [] });
      const before = received.length;
      const issued = await s.inviteMember(SYSTEM, org.org.id, {
        email: 'bob@acme.example',
        role: 'developer',
      });
      assert.equal(issued.emailSent, false);
      assert.equal(received.length, before, 'nothing delivered');
      assert.equal(failures.length, 1);
      assert.equal((failures[0] as { responseCode?: number }).responseCode, 550);
      const listed = await s.listInvitations(SYSTEM, org.org.id, {});
      assert.deepEqual(
        listed.items.map((i) => i.id),
        [issued.invitation.id],
      );
      // The returned link still works.
      const token = issued.link.slice(issued.link.indexOf('#') + 1);
      const accepted = await s.acceptInvitation(
        { ip: null, requestId: null },
        { token, password: 'a long enough password' },
      );
      assert.deepEqual([accepted.orgId, accepted.role], [org.org.id, 'developer']);
    } finally {
      s.close();
    }
  });

  it('an unreachable mail server loses no invitation either', async () => {
    const failures: unknown[] = [];
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const s = services(`smtp://127.0.0.1:${deadPort}`, failures);
    try {
      const created = await s.createOrg(SYSTEM, {
        name: 'Unreachable',
        admins: ['carol@acme.example', 'dave@acme.example'],
      });
      assert.deepEqual(
        created.invitations.map((i) => i.emailSent),
        [false, false],
      );
      assert.equal(failures.length, 2);
      assert.equal((await s.listInvitations(SYSTEM, created.org.id, {})).items.length, 2);
    } finally {
      s.close();
    }
  });
});
