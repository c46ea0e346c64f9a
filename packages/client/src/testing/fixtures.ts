// Test fixtures: keys, credentials, workspace files and a fake clock. Not exported from the package index.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AbortedError } from '../errors.js';

export interface TestKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  pem: string;
}

let keys: TestKeys | undefined;

/** One RSA-2048 key pair per test process (generation is slow). */
export function testKeys(): TestKeys {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      ...pair,
      pem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
  }
  return keys;
}

/** The test private key as encrypted PKCS#8. */
export function encryptedPem(passphrase: string): string {
  return testKeys()
    .privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

export const TEST_CLIENT = Object.freeze({
  clientId: 'test-client-0123456789',
  clientSecret: 'p8e-test-secret-0123456789',
  orgId: '1234567890ABCDEF12345678@AdobeOrg',
  technicalAccountId: 'ABCDEF1234567890ABCDEF12@techacct.adobe.com',
  technicalAccountEmail: 'tech-acct@techacct.adobe.com',
});

/** A Developer Console workspace file holding one credential with JWT and OAuth server-to-server. */
export function workspaceJson(
  overrides: { credentials?: unknown[]; orgId?: unknown } = {},
): Record<string, unknown> {
  return {
    project: {
      id: '4566206088344794932',
      name: 'Partner integration',
      org: {
        id: '1234',
        name: 'Test Org',
        ims_org_id: 'orgId' in overrides ? overrides.orgId : TEST_CLIENT.orgId,
      },
      workspace: {
        id: '4566206088344853970',
        name: 'Stage',
        details: {
          credentials: overrides.credentials ?? [
            {
              id: '566412',
              name: 'Partner API',
              integration_type: 'service',
              jwt: {
                client_id: TEST_CLIENT.clientId,
                client_secret: TEST_CLIENT.clientSecret,
                technical_account_email: TEST_CLIENT.technicalAccountEmail,
                technical_account_id: TEST_CLIENT.technicalAccountId,
                meta_scopes: ['ent_partners_sdk'],
              },
            },
            {
              id: '566413',
              name: 'Partner API OAuth',
              integration_type: 'oauth_server_to_server',
              oauth_server_to_server: {
                client_id: TEST_CLIENT.clientId,
                client_secrets: [TEST_CLIENT.clientSecret],
                technical_account_email: TEST_CLIENT.technicalAccountEmail,
                technical_account_id: TEST_CLIENT.technicalAccountId,
                scopes: ['ent_partners_sdk'],
              },
            },
          ],
        },
      },
    },
  };
}

export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[];
}

/** A clock that only moves when told to; `sleep` advances it at once instead of waiting. */
export function createFakeClock(start = Date.UTC(2030, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleeps,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(new AbortedError(undefined, signal.reason));
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** The fake IMS's view of {@link TEST_CLIENT}. */
export function testImsClient(): {
  clientId: string;
  clientSecrets: string[];
  orgId: string;
  technicalAccountId: string;
  publicKey: KeyObject;
  metaScopes: string[];
  scopes: string[];
} {
  return {
    clientId: TEST_CLIENT.clientId,
    clientSecrets: [TEST_CLIENT.clientSecret],
    orgId: TEST_CLIENT.orgId,
    technicalAccountId: TEST_CLIENT.technicalAccountId,
    publicKey: testKeys().publicKey,
    metaScopes: ['ent_partners_sdk'],
    scopes: ['ent_partners_sdk'],
  };
}

/** JWT credentials for {@link TEST_CLIENT}. */
export function jwtTestCredentials() {
  return {
    type: 'jwt' as const,
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    orgId: TEST_CLIENT.orgId,
    technicalAccountId: TEST_CLIENT.technicalAccountId,
    privateKey: testKeys().privateKey,
  };
}

/** OAuth server-to-server credentials for {@link TEST_CLIENT}. */
export function oauthTestCredentials() {
  return {
    type: 'oauth_server_to_server' as const,
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    orgId: TEST_CLIENT.orgId,
  };
}
