/**
 * Last use of client secrets: noted by the token endpoints in memory, written later (by `flush`, the timer or
 * `close`), at most once a minute per secret; failures dropped. SQLite in memory, fake clock, counted writes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { ClientSecretStore } from '../../stores/stores.js';
import { createImsServices, type ImsServices } from '../ims-services.js';
import {
  createImsFixture,
  hashSecret,
  verifySecret,
  type ImsFixture,
  type SeededClient,
} from '../test-support/ims-fixture.js';
import { createSecretUseLog } from './secret-use-log.js';

const MINUTE = 60_000;
const context = { ip: '192.0.2.1', requestId: 'req-1' };

interface Touch {
  orgId: string;
  secretId: string;
  lastUsedAt: number;
}

/** The real store, with its `touchClientSecret` calls recorded (and made to fail while `failing`). */
function countingSecrets(store: ClientSecretStore) {
  const touches: Touch[] = [];
  const state = { failing: false };
  const wrapped: ClientSecretStore = {
    ...store,
    async touchClientSecret(orgId, secretId, lastUsedAt) {
      touches.push({ orgId, secretId, lastUsedAt });
      if (state.failing)
        throw Object.assign(new Error('Storage unavailable'), { code: 'STORAGE_UNAVAILABLE' });
      await store.touchClientSecret(orgId, secretId, lastUsedAt);
    },
  };
  return { wrapped, touches, state };
}

let fx: ImsFixture;
let services: ImsServices;
let client: SeededClient;
let counted: ReturnType<typeof countingSecrets>;
const lost: Array<{ code: unknown; dropped: number }> = [];

before(async () => {
  fx = await createImsFixture();
});
after(() => fx.close());

beforeEach(async () => {
  counted = countingSecrets(fx.storage.clientSecrets);
  lost.length = 0;
  services = createImsServices({
    ...fx,
    stores: { ...fx.storage, clientSecrets: counted.wrapped },
    verifySecret,
    clock: fx.clock,
    secretUseFlushMs: 0, // written only by flush() and close() here
    onSecretUseLost: (err, dropped) => lost.push({ code: (err as { code?: unknown }).code, dropped }),
  });
  client = await fx.seedClient();
});
afterEach(() => services.close());

const credentials = () => ({ clientId: client.credential.clientId, clientSecret: client.clientSecret });

async function secrets() {
  return fx.storage.clientSecrets.listClientSecrets(client.credential.orgId, client.credential.id);
}

async function addSecret(secret: string): Promise<string> {
  const id = randomUUID();
  await fx.storage.clientSecrets.insertClientSecret(client.credential.orgId, {
    id,
    credentialId: client.credential.id,
    secretHash: hashSecret(secret),
    hint: secret.slice(-4),
    createdAt: fx.clock.now(),
    lastUsedAt: null,
  });
  services.clients.invalidate(client.credential.clientId);
  return id;
}

void describe('last use of client secrets', () => {
  void test('client credentials: nothing written on the request; after a flush the store has the time', async () => {
    const usedAt = fx.clock.now();
    await services.clientCredentials(credentials(), context);
    assert.deepEqual(counted.touches, [], 'no write on the request path');
    assert.equal((await secrets())[0]?.lastUsedAt, null);

    await services.secretUse.flush();
    const [secret] = await secrets();
    assert.equal(secret?.lastUsedAt, usedAt);
    assert.deepEqual(counted.touches, [
      { orgId: client.credential.orgId, secretId: secret?.id, lastUsedAt: usedAt },
    ]);
  });

  void test('within a minute of a write, later uses are not written; after it, the latest is', async () => {
    await services.clientCredentials(credentials(), context);
    await services.secretUse.flush();
    assert.equal(counted.touches.length, 1);

    fx.clock.advance(10_000);
    await services.exchangeJwt(
      { ...credentials(), assertion: await fx.assertion(client, { jti: 'within-1' }) },
      context,
    );
    fx.clock.advance(10_000);
    const latest = fx.clock.now();
    await services.clientCredentials(credentials(), context);
    await services.secretUse.flush();
    assert.equal(counted.touches.length, 1, 'a second use within the minute does not write again');

    fx.clock.advance(MINUTE - 20_000);
    await services.secretUse.flush();
    assert.equal(counted.touches.length, 2);
    assert.equal((await secrets())[0]?.lastUsedAt, latest);

    await services.secretUse.flush();
    assert.equal(counted.touches.length, 2, 'nothing new: nothing written');
  });

  void test('the JWT exchange notes its secret too', async () => {
    const usedAt = fx.clock.now();
    await services.exchangeJwt(
      { ...credentials(), assertion: await fx.assertion(client, { jti: 'jwt-1' }) },
      context,
    );
    await services.secretUse.flush();
    assert.equal((await secrets())[0]?.lastUsedAt, usedAt);
  });

  void test('during rotation only the secret that matched is noted; a wrong secret notes nothing', async () => {
    const second = 'p8e-second-secret-for-rotation';
    const secondId = await addSecret(second);
    await assert.rejects(
      services.clientCredentials({ ...credentials(), clientSecret: 'p8e-wrong' }, context),
    );
    await services.clientCredentials({ ...credentials(), clientSecret: second }, context);
    await services.secretUse.flush();
    assert.deepEqual(
      counted.touches.map((t) => t.secretId),
      [secondId],
    );
    const byId = new Map((await secrets()).map((s) => [s.id, s.lastUsedAt]));
    assert.equal(byId.get(secondId), fx.clock.now());
    assert.equal([...byId.values()].filter((t) => t === null).length, 1, 'the other secret: never used');
  });

  void test('a failed write is reported and dropped; tokens are issued all the same', async () => {
    counted.state.failing = true;
    const token = await services.clientCredentials(credentials(), context);
    assert.ok(token.accessToken);
    await services.secretUse.flush();
    assert.deepEqual(lost, [{ code: 'STORAGE_UNAVAILABLE', dropped: 1 }]);

    counted.state.failing = false;
    fx.clock.advance(MINUTE);
    await services.secretUse.flush();
    assert.equal(counted.touches.length, 1, 'dropped, not retried');
    assert.equal((await secrets())[0]?.lastUsedAt, null);
  });

  void test('close writes what is left, even within the minute', async () => {
    await services.clientCredentials(credentials(), context);
    await services.secretUse.flush();
    fx.clock.advance(1_000);
    await services.clientCredentials(credentials(), context);
    await services.close();
    assert.equal(counted.touches.length, 2);
    assert.equal((await secrets())[0]?.lastUsedAt, fx.clock.now());
  });
});

void describe('createSecretUseLog', () => {
  const now = { t: 0 };
  const clock = { now: () => now.t };

  void test('forgets a secret idle for a minute after its last write; its next use is written at once', async () => {
    const touches: number[] = [];
    const log = createSecretUseLog({
      store: {
        touchClientSecret: (_orgId, _secretId, at) => {
          touches.push(at);
          return Promise.resolve();
        },
      },
      clock,
      flushIntervalMs: 0,
    });
    log.note('o', 's');
    await log.flush();
    now.t += MINUTE;
    await log.flush(); // nothing new, a minute since the write: forgotten
    now.t += 1;
    log.note('o', 's');
    await log.flush();
    assert.deepEqual(touches, [0, MINUTE + 1]);
    await log.close();
  });

  void test('one flush at a time: a second call joins the one in progress', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const log = createSecretUseLog({
      store: {
        touchClientSecret: () => {
          calls += 1;
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
      clock,
      flushIntervalMs: 0,
    });
    log.note('o', 'a');
    const first = log.flush();
    const second = log.flush();
    assert.equal(first, second);
    release();
    await first;
    assert.equal(calls, 1);
    await log.close();
  });

  void test("the flush timer is unref'd", async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timeouts();
    const log = createSecretUseLog({ store: { touchClientSecret: () => Promise.resolve() }, clock });
    assert.equal(timeouts(), before);
    await log.close();
  });
});
