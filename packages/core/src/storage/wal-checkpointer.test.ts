import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { createDatabase, sqliteHandleOf } from './create-database.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

const root = mkdtempSync(join(tmpdir(), 'pims-wal-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function walDatabase(): { database: SqliteDatabase.Database; file: string } {
  const file = join(root, `db-${++n}.db`);
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.exec('create table t (id integer primary key, v blob not null)');
  return { database, file };
}

const autocheckpoint = (database: SqliteDatabase.Database) =>
  database.pragma('wal_autocheckpoint', { simple: true }) as number;

/** Frames in the write-ahead log now, as a PASSIVE checkpoint reports them (the length before it copies). */
function logFrames(database: SqliteDatabase.Database): number {
  const [row] = database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
  return row?.log ?? -1;
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Many small commits, as the token endpoints make them, yielding to the event loop between groups. */
async function writeCommits(database: SqliteDatabase.Database, commits: number): Promise<void> {
  const insert = database.prepare('insert into t (v) values (?)');
  for (let i = 0; i < commits; i++) {
    insert.run(randomBytes(3000));
    if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

void describe('WAL checkpoints off the event loop', () => {
  void test('the worker copies committed pages, the log starts over, and SQLite only keeps a backstop', async () => {
    const { database, file } = walDatabase();
    const checkpointer = startWalCheckpointer(database, file, { intervalMs: 20, restartFrames: 200 });
    try {
      await eventually(() => checkpointer.stats().workerRunning, 'the worker is ready');
      assert.equal(autocheckpoint(database), 10_000, 'the automatic checkpoint is only a backstop');
      await writeCommits(database, 2000);
      // 2,000 commits of a 3 KB row wrote far more than 200 frames. Once the writes stop, the log starts over: each
      // small write below lands at the start of a short log, which is what the worker's next pass reports.
      const insert = database.prepare('insert into t (v) values (?)');
      let small = 0;
      await eventually(() => {
        insert.run(randomBytes(10));
        small += 1;
        const { lastLogFrames, finishingCheckpoints } = checkpointer.stats();
        return finishingCheckpoints > 0 && lastLogFrames > 0 && lastLogFrames < 200;
      }, 'the log started over after a finishing checkpoint');
      const stats = checkpointer.stats();
      assert.ok(stats.workerCheckpoints > 0 && stats.workerFrames > 0, JSON.stringify(stats));
      assert.equal((database.prepare('select count(*) as c from t').get() as { c: number }).c, 2000 + small);
    } finally {
      await checkpointer.stop();
      database.close();
    }
  });

  void test('stop() returns the connection to SQLite checkpointing by itself', async () => {
    const { database, file } = walDatabase();
    const checkpointer = startWalCheckpointer(database, file, { intervalMs: 20 });
    await eventually(() => checkpointer.stats().workerRunning, 'the worker is ready');
    await checkpointer.stop();
    assert.equal(checkpointer.stats().workerRunning, false);
    assert.equal(autocheckpoint(database), 1000);
    database.close();
  });

  void test('a worker that cannot start leaves SQLite checkpointing by itself (fault injected)', async () => {
    const { database, file } = walDatabase();
    const checkpointer = startWalCheckpointer(database, file, {
      intervalMs: 20,
      modulePath: join(root, 'no-such-module.js'),
    });
    try {
      // The connection never handed its checkpoints over, and still has SQLite's own after the worker failed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(checkpointer.stats().workerRunning, false);
      assert.equal(autocheckpoint(database), 1000);
      await writeCommits(database, 1500);
      assert.ok(logFrames(database) < 1500, 'SQLite checkpointed and restarted the log by itself');
    } finally {
      await checkpointer.stop();
      database.close();
    }
  });

  void test('a file database opened by createDatabase runs one, and destroy() stops it; :memory: has none', async () => {
    const db = createDatabase({ dataDir: join(root, `store-${++n}`) });
    const handle = sqliteHandleOf(db);
    assert.ok(handle?.checkpointer);
    await eventually(() => handle.checkpointer?.stats().workerRunning === true, 'the worker is ready');
    await sql`select 1`.execute(db);
    await db.destroy();
    assert.equal(handle.checkpointer.stats().workerRunning, false);
    const memory = createDatabase({ dataDir: root, url: ':memory:' });
    assert.equal(sqliteHandleOf(memory)?.checkpointer, undefined);
    await memory.destroy();
  });

  void test('does not keep a process alive: one that never closes its database still exits', () => {
    const script = [
      `import { createDatabase } from ${JSON.stringify(new URL('./create-database.ts', import.meta.url).href)};`,
      `createDatabase({ dataDir: ${JSON.stringify(join(root, `exit-${++n}`))} });`,
      `setTimeout(() => console.log('done'), 200);`,
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 15_000 },
    );
    assert.equal(child.signal, null, 'the process had to be killed');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'done');
  });
});
