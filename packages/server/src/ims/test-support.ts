/**
 * Test support for the `/ims/*` routes (not exported): the real app (`buildApp` + `composeIms`) over SQLite in
 * memory with a fake clock, real key ring, issuer and verifier, and helpers to seed clients and sign assertions.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createIdGenerator,
  createStorage,
  keyedHash,
  type Credential,
  type KeyMaterial,
  type OpenedStorage,
} from '@pims/core';
import { seedTestClient, type SeedOptions } from '@pims/core/testing';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { composeIms, type ImsComposition, type ImsConfig } from '../compose.js';

export const IMS_URL = 'https://ims.test.example';
export const HOUR = 3_600_000;
const keyMaterial: KeyMaterial = { keyEncryptionKey: Buffer.alloc(32, 7), secretKey: Buffer.alloc(32, 9) };

export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export interface SeededClient {
  credential: Credential;
  clientSecret: string;
  privateKey: KeyObject;
}

export interface TestIms {
  app: FastifyInstance;
  storage: OpenedStorage;
  ims: ImsComposition;
  clock: TestClock;
  seedClient(options?: SeedOptions): Promise<SeededClient>;
  assertion(
    client: SeededClient,
    claims?: Record<string, unknown>,
    options?: { key?: KeyObject; header?: Record<string, unknown>; omit?: string[] },
  ): Promise<string>;
  /** Rows that a rejected request must not have added to (everything but audit events). */
  counts(): Promise<{ usedAssertions: number; revocations: number; audit: number }>;
  close(): Promise<void>;
}

export async function createTestIms(overrides: Partial<ImsConfig> = {}): Promise<TestIms> {
  let now = Date.UTC(2026, 0, 15, 12);
  const clock: TestClock = { now: () => now, advance: (ms) => void (now += ms) };
  const storage = await createStorage({
    url: 'sqlite::memory:',
    dataDir: mkdtempSync(join(tmpdir(), 'pims-ims-')),
  });
  const config: ImsConfig = {
    imsUrl: IMS_URL,
    imsName: 'ims-test1',
    clockSkew: 30,
    assertionMaxLifetime: 86_400,
    accessTokenLifetime: 86_400,
    rateLimitClient: 10_000,
    rateLimitAddress: 10_000,
    maxBodyBytes: 65_536,
    redisUrl: undefined,
    ...overrides,
  };
  const logger = pino({ level: process.env.DBG ? 'error' : 'silent' });
  const ims = await composeIms({ config, storage, keyMaterial, logger, clock });
  const app = await buildApp({ logger, checkReady: () => storage.ping(), routes: [ims.routes] });
  const ids = createIdGenerator();

  return {
    app,
    storage,
    ims,
    clock,
    async seedClient(options = {}) {
      const seeded = await seedTestClient(
        {
          storage,
          ids,
          now: clock.now(),
          hashSecret: (secret) => keyedHash(keyMaterial.secretKey, secret),
        },
        options,
      );
      return { ...seeded, privateKey: createPrivateKey(seeded.privateKeyPem) };
    },
    assertion(client, claims = {}, options = {}) {
      const { credential } = client;
      const seconds = Math.floor(clock.now() / 1000);
      const payload: Record<string, unknown> = {
        exp: seconds + 300,
        iss: credential.orgId,
        sub: credential.technicalAccountId,
        aud: `${IMS_URL}/c/${credential.clientId}`,
        [`${IMS_URL}/s/ent_partners_sdk`]: true,
        ...claims,
      };
      for (const name of options.omit ?? []) delete payload[name];
      // Signed by hand (RS256 = RSASSA-PKCS1-v1_5 with SHA-256), so tests can send headers jose refuses to make.
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${encode({ alg: 'RS256', ...options.header })}.${encode(payload)}`;
      const signature = sign('sha256', Buffer.from(input), options.key ?? client.privateKey).toString(
        'base64url',
      );
      return Promise.resolve(`${input}.${signature}`);
    },
    async counts() {
      await ims.services.audit.flush();
      const count = async (table: 'used_assertions' | 'revocations' | 'audit_events') =>
        Number(
          (
            await storage.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        usedAssertions: await count('used_assertions'),
        revocations: await count('revocations'),
        audit: await count('audit_events'),
      };
    },
    async close() {
      await app.close();
      await ims.close();
      await storage.close();
    },
  };
}

/** An urlencoded body. */
export function form(params: Record<string, string>): { payload: string; headers: Record<string, string> } {
  return {
    payload: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
