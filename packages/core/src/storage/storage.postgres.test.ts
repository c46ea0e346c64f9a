/**
 * PostgreSQL: the store and migration contracts run when `PIMS_TEST_POSTGRES_URL` is set, each in a fresh schema
 * dropped at the end. Set but unreachable is a failure, never a skip. The unreachable-server test needs no server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
// Test-only import: the store and migration contracts live in testkit (STYLE.md §13) and run here, beside the code
// they check; nothing under src ships it. eslint.config.js has no test-file exception for this yet.
import { runMigrationContract, runStoreContract } from '@pims/testkit';
import { createDatabase } from './create-database.js';
import { createStorage } from './create-storage.js';
import { StorageUnavailable } from './storage-errors.js';

const url = process.env.PIMS_TEST_POSTGRES_URL;
const dataDir = mkdtempSync(join(tmpdir(), 'pims-pg-test-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const freshSchema = (label: string) => `pims_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;

async function dropSchema(schema: string): Promise<void> {
  const db = createDatabase({ url: url!, dataDir });
  try {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  } finally {
    await db.destroy();
  }
}

void test('an unreachable PostgreSQL server is StorageUnavailable within 5 s', async () => {
  const started = Date.now();
  await assert.rejects(
    createStorage({ url: 'postgres://postgres@127.0.0.1:1/x', dataDir }),
    (err: unknown) =>
      err instanceof StorageUnavailable &&
      !err.message.includes('127.0.0.1') &&
      !err.message.includes('ECONNREFUSED'),
  );
  assert.ok(Date.now() - started < 5000);
});

void test('a server that accepts but never answers is StorageUnavailable within 5 s, not a hang', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket)); // accepts, never speaks
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  const started = Date.now();
  try {
    await assert.rejects(
      createStorage({ url: `postgres://postgres@127.0.0.1:${port}/x`, dataDir }),
      StorageUnavailable,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    assert.ok(elapsed >= 2000, 'it waited for the connect timeout rather than failing on something else');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

if (url === undefined) {
  void test('PostgreSQL store contract', { skip: 'PIMS_TEST_POSTGRES_URL is not set' }, () => undefined);
} else {
  const storeSchema = freshSchema('stores');
  runStoreContract('postgres', () => createStorage({ url, dataDir, schema: storeSchema }), {
    cleanup: () => dropSchema(storeSchema),
  });

  const migrationSchema = freshSchema('migrations');
  runMigrationContract('postgres', async () => {
    const db = createDatabase({ url, dataDir, schema: migrationSchema });
    await sql`create schema ${sql.id(migrationSchema)}`.execute(db);
    return {
      db,
      schema: migrationSchema,
      dispose: async () => {
        await db.destroy();
        await dropSchema(migrationSchema);
      },
    };
  });

  void describe('postgres database', () => {
    void test('tables go to the given schema; int8 comes back as a number without touching pg globals', async () => {
      const schema = freshSchema('opts');
      const storage = await createStorage({ url, dataDir, schema });
      try {
        assert.equal(storage.dialect, 'postgres');
        const tables = await sql<{ table_schema: string }>`
          select distinct table_schema from information_schema.tables where table_name = 'credentials'
            and table_schema = ${schema}`.execute(storage.db);
        assert.equal(tables.rows.length, 1);
        const row = (await sql<{ n: unknown }>`select 9007199254740991::int8 as n`.execute(storage.db))
          .rows[0];
        assert.equal(row?.n, Number.MAX_SAFE_INTEGER);
        const globalInt8 = pg.types.getTypeParser(20, 'text') as (value: string) => unknown;
        assert.equal(typeof globalInt8('1'), 'string', "pg's global int8 parser is unchanged");
      } finally {
        await storage.close();
        await dropSchema(schema);
      }
    });

    void test('a connection dying inside a transaction is StorageUnavailable (no crash) and the pool recovers', async () => {
      const schema = freshSchema('kill');
      const appName = freshSchema('app');
      const appUrl = `${url}${url.includes('?') ? '&' : '?'}application_name=${appName}`;
      const storage = await createStorage({ url: appUrl, dataDir, schema, poolSize: 1 });
      const killer = createDatabase({ url, dataDir });
      try {
        await assert.rejects(
          storage.transaction(async (tx) => {
            await tx.organizations.findOrganizationById('x');
            const killed = await sql`
              select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${appName}`.execute(
              killer,
            );
            assert.equal(killed.rows.length, 1);
            await new Promise((resolve) => setTimeout(resolve, 50)); // let the socket close arrive while idle
            await tx.organizations.findOrganizationById('x');
          }),
          StorageUnavailable,
        );
        await storage.ping();
        assert.equal(await storage.organizations.findOrganizationById('x'), undefined);
      } finally {
        await killer.destroy();
        await storage.close();
        await dropSchema(schema);
      }
    });
  });
}
