import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { CompactSign, compactVerify, importJWK } from 'jose';
import type { OpenedStorage } from '../storage/create-storage.js';
import { insertNewSigningKey, type SigningKeyStorage } from './signing-key-lifecycle.js';
import { createSigningKeyRing, type SigningKeyRing } from './signing-key-ring.js';
import {
  OTHER_KEK,
  TEST_KEK,
  fakeClock,
  postgresTestDatabase,
  recordingLogger,
  sqliteTestDatabase,
  testConfig,
  type FakeClock,
  type TestDatabase,
} from './test-support.js';

const encoder = new TextEncoder();

function ringOver(storage: SigningKeyStorage, clock: FakeClock, kek = TEST_KEK): SigningKeyRing {
  return createSigningKeyRing({ storage, kek, clock, config: testConfig, logger: recordingLogger() });
}

/** Signs a payload with the ring's active key and verifies it with the ring's published JWK of that kid. */
async function signsVerifiably(ring: SigningKeyRing): Promise<string> {
  const { kid, privateKey } = ring.activeSigner();
  const jws = await new CompactSign(encoder.encode('hello'))
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(privateKey);
  const jwk = ring.jwks().keys.find((key) => key.kid === kid);
  assert.ok(jwk, `the active key ${kid} is published`);
  const { payload } = await compactVerify(jws, await importJWK(jwk, 'RS256'));
  assert.equal(new TextDecoder().decode(payload), 'hello');
  return kid;
}

/** Counts insert attempts without changing what they do. */
function countingInserts(storage: OpenedStorage): { storage: SigningKeyStorage; attempts: () => number } {
  let attempts = 0;
  const signingKeys = {
    ...storage.signingKeys,
    insertSigningKey: (key: Parameters<OpenedStorage['signingKeys']['insertSigningKey']>[0]) => {
      attempts++;
      return storage.signingKeys.insertSigningKey(key);
    },
  };
  return { storage: { signingKeys, transaction: (fn) => storage.transaction(fn) }, attempts: () => attempts };
}

function concurrentInitSuite(makeDatabase: () => TestDatabase): void {
  test('two instances initialising at once over one empty database store exactly one key and both sign with it', async () => {
    const database = makeDatabase();
    try {
      const [first, second] = [
        countingInserts(await database.open()),
        countingInserts(await database.open()),
      ];
      const clock = fakeClock();
      const ringA = ringOver(first.storage, clock);
      const ringB = ringOver(second.storage, clock);
      const [a, b] = await Promise.all([ringA.init(), ringB.init()]);

      assert.equal(first.attempts() + second.attempts(), 2, 'both instances raced to create the first key');
      const created = [a.createdKid, b.createdKid].filter((kid) => kid !== undefined);
      assert.equal(created.length, 1, 'exactly one instance created it');
      const stored = await (await database.open()).signingKeys.listSigningKeys();
      assert.deepEqual(
        stored.map((key) => [key.kid, key.state]),
        [[created[0], 'active']],
      );
      assert.equal(await signsVerifiably(ringA), created[0]);
      assert.equal(await signsVerifiably(ringB), created[0]);
    } finally {
      await database.cleanup();
    }
  });
}

describe('SQLite', () => concurrentInitSuite(sqliteTestDatabase));
describe(
  'PostgreSQL',
  { skip: postgresTestDatabase() === undefined && 'PIMS_TEST_POSTGRES_URL is not set' },
  () => concurrentInitSuite(() => postgresTestDatabase()!),
);

describe('key ring over SQLite', () => {
  const databases: TestDatabase[] = [];
  after(() => Promise.all(databases.map((database) => database.cleanup())));
  async function freshStorage(): Promise<OpenedStorage> {
    const database = sqliteTestDatabase();
    databases.push(database);
    return database.open();
  }

  test('init creates one active RS256 key with a certificate, publishes only public members, and is idempotent', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    const ring = ringOver(storage, clock);
    const [first, again] = await Promise.all([ring.init(), ring.init()]);
    assert.equal(first, again, 'concurrent init calls share one run');
    const kid = first.createdKid;
    assert.ok(kid !== undefined && kid.startsWith('ims-'));

    const jwks = ring.jwks();
    assert.equal(jwks.keys.length, 1);
    const jwk = jwks.keys[0]!;
    assert.deepEqual(Object.keys(jwk), ['kid', 'kty', 'n', 'e', 'alg', 'use']);
    assert.deepEqual(
      { ...jwk, n: typeof jwk.n },
      { kid, kty: 'RSA', n: 'string', e: 'AQAB', alg: 'RS256', use: 'sig' },
    );
    assert.equal(Buffer.from(jwk.n as string, 'base64url').length, 256, 'RSA-2048');

    const certificate = new X509Certificate(ring.certificatePem(kid)!);
    assert.equal(certificate.subject, `CN=${kid}`);
    assert.equal(certificate.issuer, `CN=${kid}`);
    const certificateJwk = certificate.publicKey.export({ format: 'jwk' });
    assert.equal(certificateJwk.n, jwk.n, 'the certificate holds the published key');
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.ok(new Date(certificate.validFrom).getTime() <= clock());
    assert.equal(ring.certificatePem('ims-unknown'), undefined);

    const stored = await storage.signingKeys.listSigningKeys();
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.encryptedPrivateKey.includes('PRIVATE KEY'), 'the private key is stored encrypted');

    // Another instance (or a restart) finds it and makes none.
    const restarted = ringOver(storage, clock);
    assert.deepEqual(await restarted.init(), { createdKid: undefined });
    assert.equal(await signsVerifiably(restarted), kid);
    assert.equal((await storage.signingKeys.listSigningKeys()).length, 1);
  });

  test('a wrong key-encryption key stops init with a clear error and no new key is made (R-6)', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    await ringOver(storage, clock).init();
    const before = await storage.signingKeys.listSigningKeys();

    const wrong = ringOver(storage, clock, OTHER_KEK);
    await assert.rejects(
      wrong.init(),
      (err: Error & { code?: string }) =>
        err.code === 'SIGNING_KEYS_UNDECRYPTABLE' &&
        err.message.startsWith(
          "the IMS signing keys can't be decrypted with the configured key-encryption key",
        ) &&
        !err.message.includes('PRIVATE'),
    );
    assert.deepEqual(await storage.signingKeys.listSigningKeys(), before);
    assert.throws(() => wrong.activeSigner(), { code: 'SIGNING_KEY_RING_NOT_READY' });
    assert.throws(() => wrong.jwks(), { code: 'SIGNING_KEY_RING_NOT_READY' });
  });

  test('one damaged retired key is enough to refuse to start', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    const ring = ringOver(storage, clock);
    await ring.init();
    await ring.rotate();
    clock.advance(600_000);
    const { retired } = (await ring.rotate()) as { retired: Array<{ kid: string }> };
    const retiredKid = retired[0]!.kid;
    await storage.db
      .updateTable('signing_keys')
      .set({ encrypted_private_key: 'v1.AAAA.BBBB.CCCC' })
      .where('kid', '=', retiredKid)
      .execute();
    await assert.rejects(ringOver(storage, clock).init(), (err: Error & { code?: string }) => {
      return err.code === 'SIGNING_KEYS_UNDECRYPTABLE' && err.message.includes(retiredKid);
    });
  });

  test('a private key that is not the half of its published key is refused', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    const ring = ringOver(storage, clock);
    const { createdKid } = await ring.init();
    const { kid: nextKid } = await ring.rotate();
    const next = await storage.signingKeys.findSigningKeyByKid(nextKid);
    await storage.db
      .updateTable('signing_keys')
      .set({ encrypted_private_key: next!.encryptedPrivateKey })
      .where('kid', '=', createdKid!)
      .execute();
    await assert.rejects(ringOver(storage, clock).init(), { code: 'SIGNING_KEY_MISMATCH' });
  });

  test('stored keys without an active one: init refuses and makes none; two rotations recover', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    const { createdKid } = await ringOver(storage, clock).init();
    await storage.signingKeys.updateSigningKey(createdKid!, {
      state: 'retired',
      removeAfter: clock() + 1000,
    });

    const ring = ringOver(storage, clock);
    await assert.rejects(ring.init(), { code: 'NO_ACTIVE_SIGNING_KEY', message: /pims key rotate/ });
    assert.equal((await storage.signingKeys.listSigningKeys()).length, 1, 'no key was made silently');

    const staged = await ring.rotate();
    assert.equal(staged.step, 'staged');
    const activated = await ring.rotate({ force: true });
    assert.deepEqual(activated, { step: 'activated', kid: staged.kid, retired: [] });
    const restarted = ringOver(storage, clock);
    await restarted.init();
    assert.equal(await signsVerifiably(restarted), staged.kid);
  });

  test('rotate stages, refuses to activate too early, activates, retires with a retention, and prune removes', async () => {
    const storage = await freshStorage();
    const clock = fakeClock();
    const ring = ringOver(storage, clock);
    const { createdKid: first } = await ring.init();

    clock.advance(1000);
    const staged = await ring.rotate();
    assert.equal(staged.step, 'staged');
    assert.notEqual(staged.kid, first);
    assert.deepEqual(
      ring.jwks().keys.map((key) => key.kid),
      [first, staged.kid],
      'the next key is published before it signs',
    );
    assert.equal(ring.activeSigner().kid, first, 'the next key does not sign yet');
    assert.ok(ring.certificatePem(staged.kid));

    clock.advance(299_999);
    await assert.rejects(ring.rotate(), { code: 'NEXT_SIGNING_KEY_TOO_NEW' });
    assert.equal(ring.activeSigner().kid, first);

    clock.advance(1);
    const activatedAt = clock();
    const activated = await ring.rotate();
    const retention = (testConfig.accessTokenLifetime + testConfig.clockSkew) * 1000 + 30_000;
    assert.deepEqual(activated, {
      step: 'activated',
      kid: staged.kid,
      retired: [{ kid: first, removeAfter: activatedAt + retention }],
    });
    assert.equal(await signsVerifiably(ring), staged.kid);
    assert.deepEqual(
      ring.jwks().keys.map((key) => key.kid),
      [staged.kid, first],
      'the retired key stays published',
    );
    assert.deepEqual(
      ring.list().map(({ kid, state, published }) => ({ kid, state, published })),
      [
        { kid: first, state: 'retired', published: true },
        { kid: staged.kid, state: 'active', published: true },
      ],
    );

    clock.advance(retention - 1);
    assert.deepEqual(await ring.prune(), { removed: [] });
    assert.equal(ring.jwks().keys.length, 2);

    clock.advance(1);
    assert.deepEqual(
      ring.jwks().keys.map((key) => key.kid),
      [staged.kid],
      'gone from the key set at removeAfter, even before prune',
    );
    assert.equal(ring.certificatePem(first!), undefined);
    assert.deepEqual(await ring.prune(), { removed: [first] });
    assert.deepEqual(
      (await storage.signingKeys.listSigningKeys()).map((key) => [key.kid, key.state]),
      [[staged.kid, 'active']],
    );
  });

  test('two rotations at once stage one next key', async () => {
    const database = sqliteTestDatabase();
    databases.push(database);
    const clock = fakeClock();
    const ringA = ringOver(await database.open(), clock);
    const storageB = await database.open();
    const ringB = ringOver(storageB, clock);
    await ringA.init();
    await ringB.init();
    const [a, b] = await Promise.all([ringA.rotate(), ringB.rotate()]);
    assert.equal(a.kid, b.kid);
    assert.deepEqual([a, b].map((result) => result.step === 'staged' && result.created).sort(), [
      false,
      true,
    ]);
    assert.deepEqual(
      (await storageB.signingKeys.listSigningKeys({ states: ['next'] })).map((key) => key.kid),
      [a.kid],
    );
  });

  test('refresh picks up a rotation made elsewhere; auto refresh does it on its interval', async (t) => {
    const database = sqliteTestDatabase();
    databases.push(database);
    const clock = fakeClock();
    const operator = ringOver(await database.open(), clock);
    const server = ringOver(await database.open(), clock);
    const { createdKid: first } = await operator.init();
    await server.init();

    const staged = await operator.rotate();
    await server.refresh();
    assert.deepEqual(
      server.jwks().keys.map((key) => key.kid),
      [first, staged.kid],
    );

    t.mock.timers.enable({ apis: ['setInterval'] });
    const stop = server.startAutoRefresh();
    clock.advance(600_000);
    await operator.rotate();
    assert.equal(server.activeSigner().kid, first, 'not yet refreshed');
    t.mock.timers.tick(29_999);
    await settle();
    assert.equal(server.activeSigner().kid, first);
    t.mock.timers.tick(1);
    await eventually(() => server.activeSigner().kid === staged.kid);
    stop();
  });

  test('a failed refresh keeps the keys it had and auto refresh logs it', async (t) => {
    const database = sqliteTestDatabase();
    databases.push(database);
    const clock = fakeClock();
    const storage = await database.open();
    const logger = recordingLogger();
    const ring = createSigningKeyRing({ storage, kek: TEST_KEK, clock, config: testConfig, logger });
    const { createdKid } = await ring.init();
    // Another instance, misconfigured with another key-encryption key, stores a key.
    assert.ok(await insertNewSigningKey({ storage, kek: OTHER_KEK, now: clock() }, 'ims-other', 'next'));

    await assert.rejects(ring.refresh(), { code: 'SIGNING_KEYS_UNDECRYPTABLE' });
    assert.equal(await signsVerifiably(ring), createdKid);
    assert.equal(ring.jwks().keys.length, 1);

    t.mock.timers.enable({ apis: ['setInterval'] });
    const stop = ring.startAutoRefresh(1000);
    t.mock.timers.tick(1000);
    await eventually(() => logger.lines.some((line) => line.level === 'error'));
    stop();
    const logged = JSON.stringify(logger.lines.filter((line) => line.level === 'error'));
    assert.match(logged, /SIGNING_KEYS_UNDECRYPTABLE/);
    assert.doesNotMatch(logged, /PRIVATE KEY|v1\./);
  });
});

/** Lets pending I/O callbacks and promise jobs run (no wall-clock wait). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition reached');
}
