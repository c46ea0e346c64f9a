import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { sqliteFilePath } from '../../storage/create-database.js';
import { createStorage, type OpenedStorage } from '../../storage/create-storage.js';
import type { AuditEvent } from '../records.js';
import { createSqliteGroupCommit } from './group-commit.js';

const root = mkdtempSync(join(tmpdir(), 'pims-group-commit-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function open(): Promise<{ storage: OpenedStorage; dataDir: string }> {
  const dataDir = join(root, `db-${++n}`);
  return { storage: await createStorage({ dataDir }), dataDir };
}

const HOUR = 3_600_000;
const now = Date.now();
const claim = (storage: OpenedStorage, key: string) =>
  storage.usedAssertions.insertUsedAssertion({
    key,
    clientId: 'client-1',
    expiresAt: now + HOUR,
    tokenClaims: null,
    createdAt: now,
  });

const event = (overrides: Partial<AuditEvent> = {}): Omit<AuditEvent, 'id'> => ({
  orgId: null,
  actorType: 'client',
  actorId: 'client-1',
  action: 'token.issued',
  targetType: 'access_token',
  targetId: 'token-1',
  outcome: 'success',
  ip: '127.0.0.1',
  requestId: 'request-1',
  details: { grant: 'jwt_bearer' },
  createdAt: now,
  ...overrides,
});

/** Rows as a second connection (another process, say) sees them: only what is committed. */
function committedCount(dataDir: string, table: 'used_assertions' | 'audit_events'): number {
  const other = new SqliteDatabase(sqliteFilePath(undefined, dataDir), { readonly: true });
  try {
    return (other.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    other.close();
  }
}

void describe('SQLite group commit of replay claims and audit rows', () => {
  void test('writes of one turn resolve once committed, in order: a second claim of a key in the batch loses', async () => {
    const { storage, dataDir } = await open();
    try {
      const results = await Promise.all([
        claim(storage, 'k1'),
        claim(storage, 'k2'),
        claim(storage, 'k1'),
        storage.auditEvents.insertAuditEvent(event()),
      ]);
      assert.deepEqual(results.slice(0, 3), [true, true, false]);
      const audit = results[3];
      assert.ok(audit.id > 0);
      // Resolved means committed: another connection sees every row already.
      assert.equal(committedCount(dataDir, 'used_assertions'), 2);
      assert.equal(committedCount(dataDir, 'audit_events'), 1);
    } finally {
      await storage.close();
    }
  });

  void test('a batch is all or nothing: one failing write rejects and rolls back every write of its turn', async () => {
    const { storage, dataDir } = await open();
    try {
      const outcomes = await Promise.allSettled([
        claim(storage, 'innocent'),
        storage.auditEvents.insertAuditEvent(event({ actorType: 'nobody' as AuditEvent['actorType'] })),
        storage.auditEvents.insertAuditEvent(event({ targetId: 'token-2' })),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.equal(committedCount(dataDir, 'used_assertions'), 0);
      assert.equal(committedCount(dataDir, 'audit_events'), 0);
      // The next turn is a new batch: the key that was never stored is free.
      assert.equal(await claim(storage, 'innocent'), true);
    } finally {
      await storage.close();
    }
  });

  void test('a batch waits for an open transaction, and does not roll back with it', async () => {
    const { storage, dataDir } = await open();
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let claimed = false;
      const transaction = storage
        .transaction(async (stores) => {
          await stores.organizations.insertOrganization({
            id: 'org-in-transaction@AdobeOrg',
            name: 'Rolled back',
            status: 'active',
            createdAt: now,
            updatedAt: now,
          });
          await held;
          throw new Error('roll back');
        })
        .catch((err: unknown) => err);
      // Let the transaction open (BEGIN, its insert) before the claim arrives.
      await new Promise((resolve) => setTimeout(resolve, 10));
      const pending = claim(storage, 'after-transaction').then((first) => {
        claimed = first;
        return first;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(claimed, false, 'the claim must not commit inside the open transaction');
      release();
      assert.ok((await transaction) instanceof Error);
      assert.equal(await pending, true);
      assert.equal(committedCount(dataDir, 'used_assertions'), 1, 'the claim survived the rollback');
      assert.equal(
        await storage.organizations.findOrganizationById('org-in-transaction@AdobeOrg'),
        undefined,
      );
    } finally {
      await storage.close();
    }
  });

  void test('close() commits what was submitted before it', async () => {
    const { storage, dataDir } = await open();
    const pending = claim(storage, 'at-close');
    await storage.close();
    assert.equal(await pending, true);
    assert.equal(committedCount(dataDir, 'used_assertions'), 1);
  });
});

void describe('SQLite group commit spacing (minIntervalMs)', () => {
  /** An in-memory database with a table, and a count of the transactions the group commit runs on it. */
  function setup(minIntervalMs: number) {
    const database = new SqliteDatabase(':memory:');
    database.exec('create table t (v integer not null)');
    let commits = 0;
    // The group commit sees the real connection, except that each transaction it runs is counted.
    const counted = {
      transaction: (fn: (...args: never[]) => unknown) => {
        const run = database.transaction(fn);
        return (...args: never[]) => {
          commits++;
          return run(...args);
        };
      },
      get inTransaction() {
        return database.inTransaction;
      },
    } as unknown as SqliteDatabase.Database;
    const handle = {
      database: counted,
      prepare: (sql: string) => database.prepare(sql),
      checkpointer: undefined,
    };
    const commit = createSqliteGroupCommit(handle, { minIntervalMs });
    const insert = async (v: number) => {
      await commit.run(CompiledQuery.raw('insert into t (v) values (?)', [v]));
    };
    const values = () =>
      (database.prepare('select v from t order by rowid').all() as Array<{ v: number }>).map((r) => r.v);
    return { database, insert, values, commits: () => commits };
  }

  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  void test('writes of the turns within the interval after a commit share the next one', async () => {
    const t = setup(50);
    // The first write after a quiet spell commits in the next turn: no added wait.
    const started = performance.now();
    await t.insert(1);
    assert.ok(performance.now() - started < 40, 'the first write waited for the interval');
    assert.equal(t.commits(), 1);
    // Three writes in three different turns, all within 50 ms of that commit: one transaction holds them all.
    const pending = [t.insert(2)];
    await nextTurn();
    pending.push(t.insert(3));
    await nextTurn();
    pending.push(t.insert(4));
    assert.deepEqual(t.values(), [1]); // not written yet: waiting for the interval
    await Promise.all(pending);
    assert.equal(t.commits(), 2);
    assert.deepEqual(t.values(), [1, 2, 3, 4]);
    // After a quiet spell longer than the interval, a write goes at once again.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const again = performance.now();
    await t.insert(5);
    assert.ok(performance.now() - again < 40, 'a write after a quiet spell waited');
    assert.equal(t.commits(), 3);
    t.database.close();
  });

  void test('with minIntervalMs 0 each turn commits its own writes', async () => {
    const t = setup(0);
    await Promise.all([t.insert(1), t.insert(2)]);
    await nextTurn();
    await t.insert(3);
    assert.equal(t.commits(), 2);
    assert.deepEqual(t.values(), [1, 2, 3]);
    t.database.close();
  });
});
