/**
 * Test support for the IMS services (not exported from the package): real SQLite storage in memory, a fake clock,
 * a stand-in token issuer/verifier over one RSA key (the contract of `tokens/token-types.ts`), an HMAC secret hash,
 * and a seeded org with a credential, a secret and a certificate whose private key signs assertions.
 */
import { createHmac, generateKeyPairSync, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { createIdGenerator } from '../../ids.js';
import { createStorage, type OpenedStorage } from '../../storage/index.js';
import type { Credential } from '../../stores/records.js';
import type { AccessTokenClaims, IssuedToken, TokenIssuer, TokenVerifier } from '../../tokens/token-types.js';
import { generateClientKeyPair, type ClientKeyPair } from '../demo/client-certificate.js';
import { imsSettings, type Clock, type ImsSettings } from '../ims-settings.js';

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

const keyPairs: ClientKeyPair[] = [];
/** Client key pairs are slow to make: tests share a few. */
export async function clientKeyPair(index: number, now: number): Promise<ClientKeyPair> {
  while (keyPairs.length <= index)
    keyPairs.push(await generateClientKeyPair({ commonName: `test-${keyPairs.length}`, now }));
  return keyPairs[index] as ClientKeyPair;
}

export interface SeededClient {
  credential: Credential;
  clientSecret: string;
  privateKeyPem: string;
  privateKey: KeyObject;
}

export interface SeedOptions {
  keyIndex?: number;
  jwtEnabled?: boolean;
  oauthEnabled?: boolean;
  /** Certificate validity override (ms since the epoch). */
  notBefore?: number;
  notAfter?: number;
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
  const { createPrivateKey } = await import('node:crypto');

  async function seedClient(options: SeedOptions = {}): Promise<SeededClient> {
    const now = clock.now();
    const pair = await clientKeyPair(options.keyIndex ?? 0, now);
    const orgId = ids.orgId();
    const clientSecret = `p8e-${randomUUID()}`;
    const credential = await storage.transaction(async (stores) => {
      await stores.organizations.insertOrganization({
        id: orgId,
        name: `Org ${orgId}`,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      const projectId = ids.uuid();
      await stores.projects.insertProject(orgId, {
        id: projectId,
        name: 'P',
        description: '',
        createdAt: now,
        updatedAt: now,
      });
      const credential = await stores.credentials.insertCredential(orgId, {
        id: ids.uuid(),
        projectId,
        name: 'C',
        clientId: ids.clientId(),
        technicalAccountId: ids.technicalAccountId(),
        technicalAccountEmail: ids.technicalAccountEmail(),
        jwtEnabled: options.jwtEnabled ?? true,
        oauthEnabled: options.oauthEnabled ?? true,
        metascopes: ['ent_partners_sdk'],
        scopes: ['openid', 'AdobeID', 'ent_partners_sdk'],
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await stores.clientSecrets.insertClientSecret(orgId, {
        id: ids.uuid(),
        credentialId: credential.id,
        secretHash: hashSecret(clientSecret),
        hint: clientSecret.slice(-4),
        createdAt: now,
        lastUsedAt: null,
      });
      await stores.certificates.insertCertificate(orgId, {
        id: ids.uuid(),
        credentialId: credential.id,
        pem: pair.certificatePem,
        fingerprintSha256: pair.fingerprintSha256,
        notBefore: options.notBefore ?? now - HOUR,
        notAfter: options.notAfter ?? now + 365 * 24 * HOUR,
        status: 'active',
        createdAt: now,
        revokedAt: null,
      });
      return credential;
    });
    return {
      credential,
      clientSecret,
      privateKeyPem: pair.privateKeyPem,
      privateKey: createPrivateKey(pair.privateKeyPem),
    };
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
