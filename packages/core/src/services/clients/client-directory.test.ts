import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createImsFixture, type ImsFixture } from '../test-support/ims-fixture.js';
import { createClientDirectory } from './client-directory.js';

let fx: ImsFixture;
before(async () => {
  fx = await createImsFixture();
});
after(() => fx.close());

void test('a disabled credential is seen within 5 s, or at once after invalidate', async () => {
  const { credential } = await fx.seedClient();
  const directory = createClientDirectory({ stores: fx.storage, clock: fx.clock, ttlMs: 60_000 });
  assert.equal((await directory.find(credential.clientId))?.credential.status, 'active');
  assert.equal((await directory.find(credential.clientId))?.certificates.length, 1);
  await fx.storage.credentials.updateCredentialById(credential.orgId, credential.id, {
    status: 'disabled',
    updatedAt: fx.clock.now(),
  });
  assert.equal((await directory.find(credential.clientId))?.credential.status, 'active', 'cached');
  fx.clock.advance(5000); // the TTL is capped at 5 s whatever was asked
  assert.equal((await directory.find(credential.clientId))?.credential.status, 'disabled');
  await fx.storage.credentials.updateCredentialById(credential.orgId, credential.id, {
    status: 'active',
    updatedAt: fx.clock.now(),
  });
  directory.invalidate(credential.clientId);
  assert.equal((await directory.find(credential.clientId))?.credential.status, 'active');
});

void test('concurrent lookups of one client share one load; unknown clients are undefined', async () => {
  const { credential } = await fx.seedClient();
  let loads = 0;
  const stores = {
    ...fx.storage,
    credentials: {
      ...fx.storage.credentials,
      findCredentialByClientId: (id: string) => {
        loads += 1;
        return fx.storage.credentials.findCredentialByClientId(id);
      },
    },
  };
  const directory = createClientDirectory({ stores, clock: fx.clock });
  await Promise.all(Array.from({ length: 10 }, () => directory.find(credential.clientId)));
  assert.equal(loads, 1);
  assert.equal(await directory.find('f'.repeat(32)), undefined);
});

void test('a full directory drops its oldest tenth at once (ever-new client ids do not sweep on every lookup)', async () => {
  const loaded: string[] = [];
  const stores = {
    ...fx.storage,
    credentials: {
      ...fx.storage.credentials,
      findCredentialByClientId: (id: string) => {
        loaded.push(id);
        return fx.storage.credentials.findCredentialByClientId(id);
      },
    },
  };
  const directory = createClientDirectory({ stores, clock: fx.clock, maxEntries: 20 });
  const id = (i: number) => i.toString(16).padStart(32, '0');
  for (let i = 0; i <= 20; i++) await directory.find(id(i)); // the 21st finds it full: id 0 and 1 go (down to 18)
  loaded.length = 0;
  for (const i of [1, 2, 19, 20]) await directory.find(id(i));
  // id 1 was dropped with id 0 (loaded again); ids 2 … 20 are still cached.
  assert.deepEqual(loaded, [id(1)]);
});
