import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createDatabase } from '../../storage/create-database.js';
import type { Database } from '../../storage/schema.js';
import { prepareQuery } from './prepared-query.js';

const db: Kysely<Database> = createDatabase({ dataDir: '.', url: ':memory:' });
after(() => db.destroy());

void describe('prepareQuery', () => {
  void test('puts each value where its marker was compiled, constants of the query stay', () => {
    const find = prepareQuery<{ key: string; now: number }, unknown>(db, ['key', 'now'], (v) =>
      db
        .selectFrom('used_assertions')
        .select('key')
        .where('expires_at', '>', v.now)
        .where('client_id', '=', 'fixed-client')
        .where('key', '=', v.key),
    );
    const first = find({ key: 'a', now: 10 });
    const second = find({ key: 'b', now: 20 });
    assert.deepEqual(first.parameters, [10, 'fixed-client', 'a']);
    assert.deepEqual(second.parameters, [20, 'fixed-client', 'b']);
    assert.equal(first.sql, second.sql);
  });

  void test('refuses a query that writes a value into the SQL text, or leaves one unbound', () => {
    assert.throws(
      () =>
        prepareQuery<{ key: string }, unknown>(db, ['key'], (v) =>
          db.selectFrom('used_assertions').select('key').where(sql.lit(v.key), '=', 'x'),
        ),
      /written into the SQL text/,
    );
    assert.throws(
      () =>
        prepareQuery<{ key: string; unused: string }, unknown>(db, ['key', 'unused'], (v) =>
          db.selectFrom('used_assertions').select('key').where('key', '=', v.key),
        ),
      /unused not bound/,
    );
  });
});
