/**
 * Test support for the IMS services (not exported from the package): real SQLite storage in memory, a fake clock,
 * a stand-in token issuer/verifier over one RSA key (the contract of `tokens/token-types.ts`), an HMAC secret hash,
 * and a seeded org with a credential, a secret and a certificate whose private key signs assertions.
 */
import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { createIdGenerator } from '../../ids.js';
import { createStorage, type OpenedStorage } from '../../storage/index.js';
import type { Credential } from '../../stores/records.js';
import type { AccessTokenClaims, IssuedToken, TokenIssuer, TokenVerifier } from '../../tokens/token-types.js';
import { imsSettings, type Clock, type ImsSettings } from '../ims-settings.js';
import { seedTestClient, type SeedOptions } from './seed-client.js';

export type { SeedOptions } from './seed-client.js';

export const TEST_IMS_URL = 'https://ims.test.example';
export const HOUR = 3600_000;

export interface FakeClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): FakeClock {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

const SECRET_KEY = Buffer.from('test-secret-key-test-secret-key-0123456789', 'utf8');
export const hashSecret = (secret: string) => createHmac('sha256', SECRET_KEY).update(secret).digest('hex');
export const verifySecret = (secret: string, stored: string) => {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};

let signingKey: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
function testSigningKey() {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKey;
}

/** The token contract over one RSA key, with the fixture's clock. Deterministic: `reissue` gives the same token. */
export function testTokens(
  clock: Clock,
  settings: ImsSettings,
): { issuer: TokenIssuer; verifier: TokenVerifier } {
  const { privateKey, publicKey } = testSigningKey();
  const sign = async (claims: AccessTokenClaims): Promise<IssuedToken> => ({
    accessToken: await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test', x5u: 'test.cer', itt: 'at' })
      .sign(privateKey),
    claims,
    expiresAt: claims.exp * 1000,
  });
  return {
    issuer: {
      issue(input) {
        const now = clock.now();
        const lifetime = input.lifetimeSeconds ?? settings.accessTokenLifetimeSeconds;
        const jti = randomUUID();
        return sign({
          id: jti,
          type: 'access_token',
          client_id: input.clientId,
          user_id: input.technicalAccountId,
          as: 'ims-test',
          aa_id: input.technicalAccountId,
          org: input.orgId,
          scope: input.scopes.join(','),
          created_at: String(now),
          expires_in: String(lifetime * 1000),
          iat: Math.floor(now / 1000),
          exp: Math.floor(now / 1000) + lifetime,
          iss: settings.imsUrl,
          sub: input.technicalAccountId,
          jti,
        });
      },
      reissue: sign,
    },
    verifier: {
      async verify(token) {
        try {
          const { payload } = await jwtVerify(token, publicKey, {
            algorithms: ['RS256'],
            currentDate: new Date(clock.now()),
            issuer: settings.imsUrl,
          });
          return { valid: true, claims: payload as unknown as AccessTokenClaims };
        } catch (err) {
          const code = (err as { code?: string }).code;
          return { valid: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'bad_signature' };
        }
      },
    },
  };
}

export interface SeededClient {
  credential: Credential;
  clientSecret: string;
  privateKeyPem: string;
  privateKey: KeyObject;
}

export interface ImsFixture {
  clock: FakeClock;
  settings: ImsSettings;
  storage: OpenedStorage;
  issuer: TokenIssuer;
  verifier: TokenVerifier;
  seedClient(options?: SeedOptions): Promise<SeededClient>;
  /** Signs claims (defaults: a valid assertion for `client`) with `key` (default the client's key). */
  assertion(
    client: SeededClient,
    claims?: Record<string, unknown>,
    options?: { key?: KeyObject; header?: Record<string, unknown>; omit?: string[] },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function createImsFixture(overrides: Partial<ImsSettings> = {}): Promise<ImsFixture> {
  const clock = fakeClock();
  const settings = imsSettings({ imsUrl: TEST_IMS_URL, ...overrides });
  const storage = await createStorage({
    url: 'sqlite::memory:',
    dataDir: mkdtempSync(join(tmpdir(), 'pims-ims-')),
  });
  const ids = createIdGenerator();
  const { issuer, verifier } = testTokens(clock, settings);

  async function seedClient(options: SeedOptions = {}): Promise<SeededClient> {
    const seeded = await seedTestClient({ storage, ids, now: clock.now(), hashSecret }, options);
    return { ...seeded, privateKey: createPrivateKey(seeded.privateKeyPem) };
  }

  return {
    clock,
    settings,
    storage,
    issuer,
    verifier,
    seedClient,
    async assertion(client, claims = {}, options = {}) {
      const { credential } = client;
      const now = Math.floor(clock.now() / 1000);
      const payload: Record<string, unknown> = {
        exp: now + 300,
        iat: now,
        iss: credential.orgId,
        sub: credential.technicalAccountId,
        aud: `${settings.imsUrl}/c/${credential.clientId}`,
        [`${settings.imsUrl}/s/ent_partners_sdk`]: true,
        ...claims,
      };
      for (const name of options.omit ?? []) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', ...options.header })
        .sign(options.key ?? client.privateKey);
    },
    close: () => storage.close(),
  };
}
