/**
 * The pruning job: what it deletes on SQLite (always) and PostgreSQL (when `PIMS_TEST_POSTGRES_URL` is set, a fresh
 * database per test), that a revocation outlives every token it concerns, and its schedule, driven by hand (no sleeps).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
// Test-only import, as in storage.postgres.test.ts: a fresh PostgreSQL database per run.
import { createFreshPostgresDatabase, type FreshDatabase } from '@pims/testkit';
import { createStorage, type OpenedStorage } from '../../storage/index.js';
import { createImsServices } from '../ims-services.js';
import { systemAuditEvent } from '../test-support/audit-event.js';
import { createImsFixture, verifySecret } from '../test-support/ims-fixture.js';
import { pruneExpired, startPruneJob, type PruneStores, type Schedule } from './prune-job.js';

const T0 = Date.UTC(2026, 0, 15, 12);
const DAY_MS = 86_400_000;

interface LogLine {
  level: 'info' | 'warn';
  obj: object;
  msg: string | undefined;
}

function recordingLogger() {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj: object, msg?: string) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => void lines.push({ level: 'warn', obj, msg }),
  };
}

async function seed(storage: OpenedStorage): Promise<{ expiredSeq: number }> {
  const assertion = { clientId: 'c', tokenClaims: null, createdAt: T0 - 1000 };
  await storage.usedAssertions.insertUsedAssertion({ ...assertion, key: 'j:expired', expiresAt: T0 });
  await storage.usedAssertions.insertUsedAssertion({ ...assertion, key: 'j:live', expiresAt: T0 + 1 });
  const expired = await storage.revocations.insertRevocation({
    kind: 'token',
    subject: 'jti-expired',
    orgId: null,
    expiresAt: T0 - 1,
    createdAt: T0 - 1000,
  });
  await storage.revocations.insertRevocation({
    kind: 'credential',
    subject: 'client-live',
    orgId: null,
    expiresAt: T0 + 1000,
    createdAt: T0 - 1000,
  });
  const session = {
    subjectType: 'user' as const,
    subjectId: 'u1',
    ip: null,
    userAgent: null,
    createdAt: T0 - 1000,
    lastSeenAt: T0 - 1000,
    revokedAt: null,
  };
  await storage.sessions.insertSession({ ...session, id: 's-expired', tokenHash: 'h1', expiresAt: T0 });
  await storage.sessions.insertSession({ ...session, id: 's-live', tokenHash: 'h2', expiresAt: T0 + 1 });
  await insertAuditEventAt(storage, T0 - 3650 * DAY_MS);
  return { expiredSeq: expired.seq };
}

function insertAuditEventAt(storage: OpenedStorage, createdAt: number) {
  return storage.auditEvents.insertAuditEvent(systemAuditEvent(createdAt));
}

async function auditTimes(storage: OpenedStorage): Promise<number[]> {
  const page = await storage.auditEvents.listAuditEvents(null, { action: 'test.pruning', limit: 500 });
  return page.items.map((e) => e.createdAt).sort((a, b) => a - b);
}

function storageSuite(label: string, open: () => Promise<OpenedStorage>): void {
  void test(`${label}: expired rows go, live ones stay, audit events stay; the count is logged`, async () => {
    const storage = await open();
    try {
      const { expiredSeq } = await seed(storage);
      const logger = recordingLogger();
      const result = await pruneExpired({ stores: storage, clock: { now: () => T0 }, logger });

      const removed = { usedAssertions: 1, revocations: 1, sessions: 1, auditEvents: 0 };
      assert.deepEqual(result, { removed, failed: [] });
      assert.deepEqual(logger.lines, [
        {
          level: 'info',
          obj: { removed },
          msg: 'pruned 3 expired rows',
        },
      ]);
      assert.equal(await storage.usedAssertions.findUsedAssertion('j:expired', 0), undefined);
      assert.ok(await storage.usedAssertions.findUsedAssertion('j:live', T0));
      assert.deepEqual(
        (await storage.revocations.listRevocationsSince(0, 0)).map((r) => r.subject),
        ['client-live'],
      );
      assert.deepEqual(
        (await storage.sessions.listSessionsOfSubject('user', 'u1')).map((s) => s.id),
        ['s-live'],
      );
      assert.deepEqual(await auditTimes(storage), [T0 - 3650 * DAY_MS], 'no retention: kept forever');

      const again = recordingLogger();
      await pruneExpired({ stores: storage, clock: { now: () => T0 }, logger: again, auditRetentionDays: 0 });
      assert.deepEqual(again.lines, [], 'nothing removed: nothing logged');
      assert.equal((await auditTimes(storage)).length, 1, 'a retention of 0 days keeps everything');

      // Gateways follow the feed by `seq`: a pruned row's number is never handed out again.
      const later = await storage.revocations.insertRevocation({
        kind: 'token',
        subject: 'jti-later',
        orgId: null,
        expiresAt: T0 + 1000,
        createdAt: T0,
      });
      assert.ok(later.seq > expiredSeq + 1, `seq ${later.seq} after ${expiredSeq} and the live row`);
    } finally {
      await storage.close();
    }
  });

  void test(`${label}: a backlog goes in batches, every table; audit events older than the retention go`, async () => {
    const storage = await open();
    try {
      // Five expired rows and one live row in each table, and audit events around the 30-day cutoff.
      for (let i = 0; i < 6; i++) {
        const expiresAt = i < 5 ? T0 - i : T0 + 1;
        await storage.usedAssertions.insertUsedAssertion({
          key: `j:${i}`,
          clientId: 'c',
          tokenClaims: null,
          createdAt: T0 - 1000,
          expiresAt,
        });
        await storage.revocations.insertRevocation({
          kind: 'token',
          subject: `jti-${i}`,
          orgId: null,
          expiresAt,
          createdAt: T0 - 1000,
        });
        await storage.sessions.insertSession({
          id: `s-${i}`,
          tokenHash: `h-${i}`,
          subjectType: 'user',
          subjectId: 'u1',
          ip: null,
          userAgent: null,
          createdAt: T0 - 1000,
          lastSeenAt: T0 - 1000,
          expiresAt,
          revokedAt: null,
        });
      }
      const cutoff = T0 - 30 * DAY_MS;
      const old = [cutoff - 365 * DAY_MS, cutoff - 2, cutoff - 1, cutoff - 1, cutoff - 1];
      const kept = [cutoff, cutoff + 1, T0];
      for (const createdAt of [...kept, ...old]) await insertAuditEventAt(storage, createdAt);

      let pauses = 0;
      const batch = { batchSize: 2, pause: () => Promise.resolve(void (pauses += 1)) };
      const logger = recordingLogger();
      const result = await pruneExpired({
        stores: storage,
        clock: { now: () => T0 },
        logger,
        auditRetentionDays: 30,
        batch,
      });

      assert.deepEqual(result, {
        removed: { usedAssertions: 5, revocations: 5, sessions: 5, auditEvents: 5 },
        failed: [],
      });
      assert.equal(pauses, 4 * 2, 'two full batches of 2 (then one of 1) in each of the four tables');
      assert.equal(logger.lines[0]?.msg, 'pruned 20 expired rows');
      assert.deepEqual(await auditTimes(storage), kept, 'events at the cutoff or younger stay');
      assert.ok(await storage.usedAssertions.findUsedAssertion('j:5', T0));
      assert.equal(await storage.usedAssertions.findUsedAssertion('j:4', 0), undefined);
      assert.deepEqual(
        (await storage.revocations.listRevocationsSince(0, 0)).map((r) => r.subject),
        ['jti-5'],
      );
      assert.deepEqual(
        (await storage.sessions.listSessionsOfSubject('user', 'u1')).map((s) => s.id),
        ['s-5'],
      );
    } finally {
      await storage.close();
    }
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'pims-prune-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

let sqliteFiles = 0;
storageSuite('sqlite', () =>
  createStorage({ url: `sqlite:${join(dataDir, `prune-${++sqliteFiles}.db`)}`, dataDir }),
);

const postgresUrl = process.env.PIMS_TEST_POSTGRES_URL;
if (postgresUrl === undefined || postgresUrl === '') {
  void test('postgres: pruning', { skip: 'PIMS_TEST_POSTGRES_URL is not set' }, () => undefined);
} else {
  void describe('postgres', () => {
    // A fresh database per test, as SQLite gets a fresh file: pruning deletes every org's rows.
    const databases: FreshDatabase[] = [];
    after(() => Promise.all(databases.map((database) => database.drop())));
    storageSuite('postgres', async () => {
      const database = await createFreshPostgresDatabase(postgresUrl, 'prune');
      databases.push(database);
      return createStorage({ url: database.url, dataDir });
    });
  });
}

void test('a revocation is pruned only once no token it concerns can be alive', async () => {
  const fx = await createImsFixture();
  const services = createImsServices({ ...fx, stores: fx.storage, verifySecret, clock: fx.clock });
  try {
    const client = await fx.seedClient();
    const context = { ip: '192.0.2.1', requestId: 'r' };
    const credentials = { clientId: client.credential.clientId, clientSecret: client.clientSecret };
    const token = await services.clientCredentials(credentials, context);
    await services.invalidateToken({ ...credentials, token: token.accessToken, cascading: false }, context);
    await services.revokeCredential(client.credential);
    const lifetimeMs = fx.settings.accessTokenLifetimeSeconds * 1000;
    const skewMs = fx.settings.clockSkewSeconds * 1000;
    const logger = recordingLogger();
    const prune = () => pruneExpired({ stores: fx.storage, clock: fx.clock, logger });

    fx.clock.advance(lifetimeMs + skewMs - 1); // the token is past `exp`, but within the skew a verifier allows
    assert.deepEqual((await prune()).removed.revocations, 0);
    assert.equal((await fx.storage.revocations.listRevocationsSince(0, 0)).length, 2);

    fx.clock.advance(1);
    assert.deepEqual((await prune()).removed.revocations, 2);
    assert.deepEqual(await services.validateToken({ token: token.accessToken }), {
      valid: false,
      reason: 'expired',
    });
  } finally {
    await services.close();
    await fx.close();
  }
});

/** A schedule fired by hand: what is pending, and with which delay. */
function manualSchedule() {
  const pending: Array<{ run: () => void; delayMs: number; cancelled: boolean }> = [];
  const schedule: Schedule = (run, delayMs) => {
    const entry = { run, delayMs, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    schedule,
    /** Delays of the runs scheduled and not cancelled nor fired. */
    waiting: () => pending.filter((p) => !p.cancelled).map((p) => p.delayMs),
    fire() {
      const next = pending.find((p) => !p.cancelled);
      assert.ok(next, 'a run is scheduled');
      next.cancelled = true;
      next.run();
    },
  };
}

function countingStores(overrides: Partial<Record<keyof PruneStores, () => Promise<number>>> = {}) {
  const calls = { usedAssertions: 0, revocations: 0, sessions: 0, auditEvents: 0 };
  const counted = (table: keyof PruneStores) => () => {
    calls[table] += 1;
    return overrides[table]?.() ?? Promise.resolve(0);
  };
  const stores: PruneStores = {
    usedAssertions: { deleteExpiredAssertions: counted('usedAssertions') },
    revocations: { deleteExpiredRevocations: counted('revocations') },
    sessions: { deleteExpiredSessions: counted('sessions') },
    auditEvents: { deleteAuditEventsBefore: counted('auditEvents') },
  };
  return { stores, calls };
}

/** Lets the job's promise callbacks (reschedule after a run) happen. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

void describe('schedule', () => {
  const clock = { now: () => T0 };

  void test('first run shortly after start, then every interval after the previous run ended', async () => {
    const timers = manualSchedule();
    const { stores, calls } = countingStores();
    const job = startPruneJob({
      stores,
      clock,
      logger: recordingLogger(),
      intervalMs: 3_600_000,
      schedule: timers.schedule,
    });
    assert.deepEqual(timers.waiting(), [10_000]);
    timers.fire();
    await settle();
    assert.deepEqual(
      calls,
      { usedAssertions: 1, revocations: 1, sessions: 1, auditEvents: 0 },
      'no retention',
    );
    assert.deepEqual(timers.waiting(), [3_600_000]);
    timers.fire();
    await settle();
    assert.equal(calls.sessions, 2);
    assert.deepEqual(timers.waiting(), [3_600_000]);
    await job.close();
    assert.deepEqual(timers.waiting(), [], 'closed: nothing scheduled');
  });

  void test('the first run is never later than the interval', async () => {
    const timers = manualSchedule();
    const job = startPruneJob({
      ...countingStores(),
      clock,
      logger: recordingLogger(),
      intervalMs: 2_000,
      schedule: timers.schedule,
    });
    assert.deepEqual(timers.waiting(), [2_000]);
    await job.close();
  });

  void test('a failing store is logged (warn), the others still run, and so does the next run', async () => {
    const timers = manualSchedule();
    let failures = 1;
    const { stores, calls } = countingStores({
      revocations: () => {
        if (failures-- > 0) {
          const err = Object.assign(new Error('Storage unavailable'), { code: 'STORAGE_UNAVAILABLE' });
          return Promise.reject(err);
        }
        return Promise.resolve(4);
      },
    });
    const logger = recordingLogger();
    const job = startPruneJob({
      stores,
      clock,
      logger,
      intervalMs: 60_000,
      schedule: timers.schedule,
      auditRetentionDays: 90,
    });

    timers.fire();
    const first = await job.runNow(); // joins the run the timer started
    assert.deepEqual(first, {
      removed: { usedAssertions: 0, revocations: 0, sessions: 0, auditEvents: 0 },
      failed: ['revocations'],
    });
    assert.deepEqual(
      calls,
      { usedAssertions: 1, revocations: 1, sessions: 1, auditEvents: 1 },
      'one run, every table tried',
    );
    assert.deepEqual(logger.lines, [
      {
        level: 'warn',
        obj: { table: 'revocations', err: { code: 'STORAGE_UNAVAILABLE', message: 'Storage unavailable' } },
        msg: 'pruning expired rows failed; trying again at the next run',
      },
    ]);
    await settle();
    assert.deepEqual(timers.waiting(), [60_000], 'the next run is scheduled all the same');

    timers.fire();
    assert.deepEqual((await job.runNow()).removed.revocations, 4);
    assert.equal(logger.lines.at(-1)?.level, 'info');
    await job.close();
  });

  void test('never two runs at once; close waits for the run in progress and stops the schedule', async () => {
    const timers = manualSchedule();
    let release: (n: number) => void = () => undefined;
    const { stores, calls } = countingStores({
      usedAssertions: () => new Promise<number>((resolve) => (release = resolve)),
    });
    const job = startPruneJob({
      stores,
      clock,
      logger: recordingLogger(),
      intervalMs: 60_000,
      schedule: timers.schedule,
    });
    timers.fire();
    const joined = [job.runNow(), job.runNow()];
    await settle();
    assert.equal(calls.usedAssertions, 1, 'one run in progress, joined by the others');

    let closed = false;
    const closing = job.close().then(() => (closed = true));
    await settle();
    assert.equal(closed, false, 'close waits for the run in progress');
    release(2);
    await closing;
    const results = await Promise.all(joined);
    assert.deepEqual(
      results.map((r) => r.removed.usedAssertions),
      [2, 2],
    );
    await settle();
    assert.deepEqual(timers.waiting(), [], 'no run after close');
    assert.deepEqual(calls, { usedAssertions: 1, revocations: 1, sessions: 1, auditEvents: 0 });
  });

  void test('the default timer is unref’d: a pending run keeps no process alive', () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timeouts();
    const job = startPruneJob({ ...countingStores(), clock, logger: recordingLogger(), intervalMs: 60_000 });
    assert.equal(timeouts(), before, "an unref'd timer is no active resource");
    return job.close();
  });
});
