/**
 * Test support for `/api/v1` (not exported): the real app (`buildApp` + `composeIms` + `composeConsole`) over SQLite in
 * memory, a fake clock, cheap scrypt, and helpers that sign people in and send requests with cookie and CSRF header.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createScryptHasher,
  createStorage,
  type Config,
  type InvitationMailer,
  type KeyMaterial,
  type OpenedStorage,
} from '@pims/core';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { composeIms, type ImsComposition } from '../compose.js';
import { composeConsole, type ConsoleComposition } from './compose-console.js';

export const CONSOLE_URL = 'https://ims.test.example';
export const ORIGIN = CONSOLE_URL;
export const PASSWORD = 'correct horse battery staple';
const keyMaterial: KeyMaterial = { keyEncryptionKey: Buffer.alloc(32, 7), secretKey: Buffer.alloc(32, 9) };

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Caller {
  session?: Session | undefined;
}

export interface TestConsole {
  app: FastifyInstance;
  storage: OpenedStorage;
  console: ConsoleComposition;
  /** The IMS side (token endpoints, `services.secretUse.flush()`). */
  ims: ImsComposition;
  clock: { now(): number; advance(ms: number): void };
  /** Logged invitation links, newest last. */
  links: string[];
  request(
    caller: Session | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Creates an operator (as the CLI does) and signs them in. */
  operator(email?: string): Promise<Session>;
  login(email: string, password?: string, kind?: 'user' | 'operator'): Promise<Session>;
  /** Operator creates an org with one admin who accepts; returns the org id and the admin's session. */
  org(
    operator: Session,
    adminEmail: string,
    name?: string,
  ): Promise<{ orgId: string; admin: Session; adminId: string }>;
  /** An admin invites `email` as `role`; the invitee accepts and signs in. */
  member(
    admin: Session,
    orgId: string,
    email: string,
    role: 'admin' | 'developer',
  ): Promise<{ session: Session; userId: string }>;
  count(
    table:
      | 'credentials'
      | 'client_secrets'
      | 'certificates'
      | 'audit_events'
      | 'projects'
      | 'org_memberships'
      | 'sessions',
  ): Promise<number>;
  close(): Promise<void>;
}

export function tokenOf(link: string): string {
  return link.slice(link.indexOf('#') + 1);
}

export interface TestConsoleOptions extends Partial<
  Pick<Config, 'environment' | 'smtpUrl' | 'smtpFrom' | 'redisUrl'>
> {
  mailer?: InvitationMailer;
}

export async function createTestConsole(overrides: TestConsoleOptions = {}): Promise<TestConsole> {
  let now = Date.UTC(2026, 0, 15, 12);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const storage = await createStorage({
    url: 'sqlite::memory:',
    dataDir: mkdtempSync(join(tmpdir(), 'pims-console-')),
  });
  const links: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const parsed = JSON.parse(line) as { invitation?: { link: string } };
        if (parsed.invitation) links.push(parsed.invitation.link);
      },
    },
  );
  const ims = await composeIms({
    config: {
      imsUrl: CONSOLE_URL,
      imsName: 'ims-test1',
      clockSkew: 30,
      assertionMaxLifetime: 86_400,
      accessTokenLifetime: 86_400,
      rateLimitClient: 10_000,
      rateLimitAddress: 10_000,
      maxBodyBytes: 65_536,
      redisUrl: undefined,
    },
    storage,
    keyMaterial,
    logger,
    clock,
  });
  const composed = composeConsole({
    config: {
      environment: overrides.environment ?? 'production',
      imsUrl: CONSOLE_URL,
      orgIdSuffix: '@AdobeOrg',
      technicalAccountSuffix: '@techacct.adobe.com',
      smtpUrl: overrides.smtpUrl,
      smtpFrom: overrides.smtpFrom,
      redisUrl: overrides.redisUrl,
    },
    storage,
    keyMaterial,
    logger,
    ims: ims.services,
    clock,
    passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }),
    ...(overrides.mailer ? { mailer: overrides.mailer } : {}),
  });
  const app = await buildApp({
    logger,
    checkReady: () => storage.ping(),
    routes: [ims.routes, composed.routes],
  });

  const request: TestConsole['request'] = (caller, method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: {
        ...(caller ? { cookie: caller.cookie, 'x-pims-csrf': caller.csrf } : { 'x-pims-csrf': '1' }),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  const login: TestConsole['login'] = async (email, password = PASSWORD, kind = 'user') => {
    const response = await request(
      undefined,
      'POST',
      kind === 'user' ? '/api/v1/auth/login' : '/api/v1/operator/auth/login',
      { email, password },
    );
    if (response.statusCode !== 200)
      throw new Error(`login ${email}: ${response.statusCode} ${response.body}`);
    const setCookie = String(response.headers['set-cookie']);
    return { cookie: setCookie.split(';')[0] ?? '', csrf: response.json<{ csrfToken: string }>().csrfToken };
  };

  const accept = async (link: string, name: string) => {
    const response = await request(undefined, 'POST', '/api/v1/invitations/accept', {
      token: tokenOf(link),
      name,
      password: PASSWORD,
    });
    if (response.statusCode !== 200) throw new Error(`accept: ${response.statusCode} ${response.body}`);
    return response.json<{ userId: string }>();
  };

  const t: TestConsole = {
    app,
    storage,
    console: composed,
    ims,
    clock,
    links,
    request,
    login,
    async operator(email = 'ops@platform.example') {
      await composed.services.createOperator(
        { actor: { type: 'system', id: null }, ip: null, requestId: null },
        { email, name: 'Ops', password: PASSWORD },
      );
      return login(email, PASSWORD, 'operator');
    },
    async org(operator, adminEmail, name = 'Distributor') {
      const created = await request(operator, 'POST', '/api/v1/operator/orgs', {
        name,
        admins: [adminEmail],
      });
      if (created.statusCode !== 201) throw new Error(`org: ${created.statusCode} ${created.body}`);
      const body = created.json<{ org: { id: string }; invitations: Array<{ link: string }> }>();
      const { userId } = await accept(body.invitations[0]!.link, 'Admin');
      return { orgId: body.org.id, admin: await login(adminEmail), adminId: userId };
    },
    async member(admin, orgId, email, role) {
      const invited = await request(admin, 'POST', `/api/v1/orgs/${orgId}/invitations`, { email, role });
      if (invited.statusCode !== 201) throw new Error(`invite: ${invited.statusCode} ${invited.body}`);
      const { userId } = await accept(invited.json<{ link: string }>().link, email);
      return { session: await login(email), userId };
    },
    async count(table) {
      const row = await storage.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await app.close();
      await ims.close();
      await storage.close();
    },
  };
  return t;
}
