import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
// Test-only import: the store and migration contracts live in testkit (STYLE.md §13) and run here, beside the code
// they check; nothing under src ships it. eslint.config.js has no test-file exception for this yet.
import { runMigrationContract, runStoreContract } from '@pims/testkit';
import { createDatabase, sqliteFilePath } from './create-database.js';
import { createStorage } from './create-storage.js';
import { StorageUnavailable } from './storage-errors.js';

const root = mkdtempSync(join(tmpdir(), 'pims-sqlite-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `db-${++n}`);

runStoreContract('sqlite', () => createStorage({ dataDir: freshDir() }));

runMigrationContract('sqlite', () => {
  const db = createDatabase({ dataDir: freshDir() });
  return Promise.resolve({ db, dispose: () => db.destroy() });
});

void describe('sqlite database', () => {
  void test('opens a WAL file in the data directory, creating it, with the required pragmas', async () => {
    const dataDir = join(freshDir(), 'nested', 'dir');
    const storage = await createStorage({ dataDir });
    try {
      assert.equal(storage.dialect, 'sqlite');
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(storage.db)).rows[0] ?? {},
        )[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('synchronous'), 1, 'NORMAL');
      const file = (
        await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(
          storage.db,
        )
      ).rows[0]?.file;
      assert.equal(file, join(dataDir, 'pims.db'));
    } finally {
      await storage.close();
    }
  });

  void test('data survives close and reopen; migrations are not re-run', async () => {
    const dataDir = freshDir();
    const first = await createStorage({ dataDir });
    await first.revocations.insertRevocation({
      kind: 'org',
      subject: 'x',
      orgId: null,
      expiresAt: 10,
      createdAt: 1,
    });
    await first.close();
    await first.close(); // idempotent
    const second = await createStorage({ dataDir });
    try {
      assert.equal(await second.revocations.isRevoked('org', 'x', 5), true);
    } finally {
      await second.close();
    }
  });

  void test('a data directory that cannot be created is named in the error', () => {
    const blocker = join(freshDir() + '-file');
    writeFileSync(blocker, 'not a directory');
    const dataDir = join(blocker, 'data');
    assert.throws(
      () => createDatabase({ dataDir }),
      (err: unknown) => err instanceof StorageUnavailable && err.message.includes(dataDir),
    );
  });

  void test(
    'an unwritable data directory is named in the error',
    { skip: process.getuid?.() === 0 && 'root ignores file modes' },
    async () => {
      const { chmodSync, mkdirSync } = await import('node:fs');
      const dataDir = freshDir();
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o500);
      try {
        assert.throws(
          () => createDatabase({ dataDir }),
          (err: unknown) => err instanceof StorageUnavailable && err.message.includes(dataDir),
        );
      } finally {
        chmodSync(dataDir, 0o700);
      }
    },
  );

  void test('createStorage rejects with StorageUnavailable naming the directory when the file is not a database', async () => {
    const dataDir = freshDir();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dataDir, 'pims.db'), { recursive: true }); // a directory where the file should be
    await assert.rejects(
      createStorage({ dataDir }),
      (err: unknown) => err instanceof StorageUnavailable && err.message.includes(dataDir),
    );
  });

  void test('database URLs: default, sqlite: forms and plain paths', () => {
    assert.equal(sqliteFilePath(undefined, '/data'), '/data/pims.db');
    assert.equal(sqliteFilePath('', '/data'), '/data/pims.db');
    assert.equal(sqliteFilePath('sqlite:', '/data'), '/data/pims.db');
    assert.equal(sqliteFilePath('sqlite:///var/db/x.sqlite', '/data'), '/var/db/x.sqlite');
    assert.equal(sqliteFilePath('sqlite:/var/db/x.sqlite', '/data'), '/var/db/x.sqlite');
    assert.equal(sqliteFilePath('/var/db/x.sqlite', '/data'), '/var/db/x.sqlite');
    assert.equal(sqliteFilePath('sqlite::memory:', '/data'), ':memory:');
    assert.equal(sqliteFilePath('sqlite://rel/x.sqlite', '/data'), join(process.cwd(), 'rel/x.sqlite'));
  });
});
