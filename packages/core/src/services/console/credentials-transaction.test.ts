/** SECURITY R-2: credential + secret + certificate + audit row are one transaction; a failure after any statement leaves nothing. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createIdGenerator } from '../../ids.js';
import { generateClientKeyPair } from '../demo/client-certificate.js';
import { createStorage, type OpenedStorage } from '../../storage/create-storage.js';
import type { Storage, Stores } from '../../stores/stores.js';
import type { ConsoleContext } from './console-deps.js';
import { createConsoleServices } from './console-services.js';
import { createScryptHasher } from './passwords.js';

let storage: OpenedStorage;
let failAt = Number.POSITIVE_INFINITY;
let calls = 0;

function failing(stores: Stores): Stores {
  const wrapped: Record<string, unknown> = {};
  for (const [name, store] of Object.entries(stores)) {
    const methods: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(
      store as Record<string, (...args: unknown[]) => Promise<unknown>>,
    )) {
      methods[method] = async (...args: unknown[]) => {
        calls += 1;
        if (calls === failAt) throw new Error(`injected failure at call ${calls} (${name}.${method})`);
        return fn(...args);
      };
    }
    wrapped[name] = methods;
  }
  return wrapped as unknown as Stores;
}

const ctx: ConsoleContext = { actor: { type: 'system', id: null }, ip: '127.0.0.1', requestId: 'r-1' };
const orgId = 'AAAAAAAAAAAAAAAAAAAAAAAA@AdobeOrg';
const projectId = '11111111-1111-4111-8111-111111111111';

before(async () => {
  storage = await createStorage({ url: 'sqlite::memory:', dataDir: mkdtempSync(join(tmpdir(), 'pims-r2-')) });
  await storage.organizations.insertOrganization({
    id: orgId,
    name: 'O',
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
  });
  await storage.projects.insertProject(orgId, {
    id: projectId,
    name: 'P',
    description: '',
    createdAt: 0,
    updatedAt: 0,
  });
});
after(() => storage.close());

async function counts() {
  const n = async (table: 'credentials' | 'client_secrets' | 'certificates' | 'audit_events') =>
    Number(
      (
        await storage.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    credentials: await n('credentials'),
    secrets: await n('client_secrets'),
    certificates: await n('certificates'),
    audit: await n('audit_events'),
  };
}

test('a failure after each statement of credential creation leaves no half-made credential', async () => {
  const wrapped: Storage = {
    ...storage,
    transaction: (fn) => storage.transaction((stores) => fn(failing(stores))),
  };
  const services = createConsoleServices({
    storage: wrapped,
    settings: { environment: 'production', consoleUrl: 'https://ims.example' },
    ids: createIdGenerator(),
    secretKey: Buffer.alloc(32, 3),
    revoker: {
      revokeCredential: () => Promise.resolve(),
      revokeOrg: () => Promise.resolve(),
      invalidateClient: () => undefined,
    },
    mailer: { deliver: () => Promise.resolve(false) },
    passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }),
  });
  // An uploaded certificate (one key pair for every attempt), so the test spends no time on RSA key generation.
  const pair = await generateClientKeyPair({ commonName: 'r2', now: Date.now() });
  const create = (name: string) =>
    services.createCredential(ctx, orgId, {
      projectId,
      name,
      jwt: true,
      oauth: true,
      certificate: { pem: pair.certificatePem },
    });

  calls = 0;
  await create('measure');
  const statements = calls;
  assert.ok(statements >= 4, `credential, secret, certificate, audit (+ reads): ${statements}`);
  const baseline = await counts();
  for (let n = 1; n <= statements; n += 1) {
    calls = 0;
    failAt = n;
    await assert.rejects(create(`attempt-${n}`), /injected failure/);
    assert.deepEqual(await counts(), baseline, `failure at statement ${n}`);
  }
  failAt = Number.POSITIVE_INFINITY;
  await create('after');
  assert.equal((await counts()).credentials, baseline.credentials + 1);
});
