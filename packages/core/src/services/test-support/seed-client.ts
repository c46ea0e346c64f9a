/**
 * Seeds one client for tests of the token endpoints: an org, a project, a credential, a client secret and an active
 * certificate whose private key signs assertions — written the way the console writes them
 * (`clients/credential-rows.ts`). Shared by the service fixture here and the HTTP fixture of `@pims/server` (through
 * `@pims/core/testing`).
 */
import type { IdGenerator } from '../../ids.js';
import type { Credential } from '../../stores/records.js';
import type { Storage } from '../../stores/stores.js';
import { insertCertificate, insertSecret } from '../clients/credential-rows.js';
import { generateClientKeyPair, type ClientKeyPair } from '../demo/client-certificate.js';

const HOUR = 3_600_000;

const keyPairs: ClientKeyPair[] = [];
/** Client key pairs are slow to make: tests share a few. */
export async function clientKeyPair(index: number, now: number): Promise<ClientKeyPair> {
  while (keyPairs.length <= index)
    keyPairs.push(await generateClientKeyPair({ commonName: `test-${keyPairs.length}`, now }));
  return keyPairs[index] as ClientKeyPair;
}

export interface SeedOptions {
  /** Which shared key pair signs (default 0). */
  keyIndex?: number;
  jwtEnabled?: boolean;
  oauthEnabled?: boolean;
  status?: Credential['status'];
  /** Certificate validity override (ms since the epoch); default an hour ago to a year ahead. */
  notBefore?: number;
  notAfter?: number;
}

export interface SeedClientDeps {
  storage: Storage;
  ids: IdGenerator;
  /** The time every row is created at. */
  now: number;
  /** The keyed hash the IMS checks presented secrets against. */
  hashSecret: (secret: string) => string;
}

export interface SeededClientRows {
  credential: Credential;
  clientSecret: string;
  privateKeyPem: string;
}

export async function seedTestClient(
  deps: SeedClientDeps,
  options: SeedOptions = {},
): Promise<SeededClientRows> {
  const { storage, ids, now } = deps;
  const pair = await clientKeyPair(options.keyIndex ?? 0, now);
  const orgId = ids.orgId();
  const clientSecret = `p8e-${ids.uuid()}`;
  const rowDeps = { ids, clock: { now: () => now }, hashToken: (value: string) => deps.hashSecret(value) };
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
      status: options.status ?? 'active',
      createdAt: now,
      updatedAt: now,
    });
    await insertSecret(rowDeps, stores, credential, clientSecret);
    await insertCertificate(rowDeps, stores, credential, {
      ...pair,
      notBefore: options.notBefore ?? now - HOUR,
      notAfter: options.notAfter ?? now + 365 * 24 * HOUR,
    });
    return credential;
  });
  return { credential, clientSecret, privateKeyPem: pair.privateKeyPem };
}
