/**
 * The migration contract: a fresh database migrated to the latest version has every table, and migrating all the
 * way down and back up again yields exactly the same schema (tables, columns, indexes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeSchema, migrateDown, migrateToLatest, migrations } from '@pims/core';
import type { Database, Kysely } from '@pims/core';

export interface MigrationTarget {
  /** An open database with no tables yet. */
  db: Kysely<Database>;
  /** PostgreSQL: the schema the tables go to. */
  schema?: string;
  /** Closes the database and removes what the target created. */
  dispose(): Promise<void>;
}

export const TABLES: readonly (keyof Database)[] = [
  'audit_events',
  'certificates',
  'client_secrets',
  'credentials',
  'invitations',
  'operators',
  'org_memberships',
  'organizations',
  'projects',
  'revocations',
  'sessions',
  'signing_keys',
  'used_assertions',
  'users',
];

export function runMigrationContract(name: string, open: () => Promise<MigrationTarget>): void {
  void describe(`migration contract: ${name}`, () => {
    let target: MigrationTarget | undefined;
    before(async () => {
      target = await open();
    });
    after(async () => {
      await target?.dispose();
    });

    void test('fresh migrate creates every table; down-all then up-all gives the same schema', async () => {
      const { db, schema } = target!;
      const applied = await migrateToLatest(db, { schema });
      assert.deepEqual(
        applied.map((r) => [r.migrationName, r.status]),
        Object.keys(migrations).map((m) => [m, 'Success']),
      );
      const fresh = await describeSchema(db, schema);
      assert.deepEqual(Object.keys(fresh.tables).sort(), [...TABLES]);
      assert.ok(
        fresh.tables.credentials?.indexes.some((i) => /client_id/.test(i)),
        'credentials.client_id is indexed',
      );
      assert.deepEqual(await migrateToLatest(db, { schema }), [], 'nothing left to run');

      const down = await migrateDown(db, { schema, steps: 'all' });
      assert.equal(down.length, Object.keys(migrations).length);
      assert.deepEqual((await describeSchema(db, schema)).tables, {}, 'down removes every table');

      await migrateToLatest(db, { schema });
      assert.deepEqual(await describeSchema(db, schema), fresh);
    });

    void test('one step down undoes only the latest migration', async () => {
      const { db, schema } = target!;
      const names = Object.keys(migrations);
      const down = await migrateDown(db, { schema });
      assert.deepEqual(
        down.map((r) => r.migrationName),
        [names[names.length - 1]],
      );
      await migrateToLatest(db, { schema });
    });
  });
}
