/**
 * A plain description of the live schema (tables, columns, indexes), used to check that migrations produce the same
 * schema however they are reached, and handy for `pims db status`-style diagnostics.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.js';

export interface SchemaDescription {
  tables: Record<string, { columns: string[]; indexes: string[] }>;
}

const internal = /^(kysely_migration|kysely_migration_lock|sqlite_)/;

/** Tables with `name type [not null] [pk]` columns and index definitions, sorted; Kysely's own tables left out. */
export async function describeSchema<DB>(db: Kysely<DB>, schema?: string): Promise<SchemaDescription> {
  const pg = dialectOf(db) === 'postgres';
  const tables: SchemaDescription['tables'] = {};
  const metas = await db.introspection.getTables();
  for (const table of metas) {
    if (internal.test(table.name) || (pg && schema !== undefined && table.schema !== schema)) continue;
    tables[table.name] = {
      columns: table.columns
        .map(
          (c) =>
            `${c.name} ${c.dataType}${c.isNullable ? '' : ' not null'}${c.isAutoIncrementing ? ' auto' : ''}`,
        )
        .sort(),
      indexes: [],
    };
  }
  if (pg) {
    const indexes = await sql<{ table: string; definition: string }>`
      select tablename as "table", indexdef as definition from pg_indexes
      where schemaname = ${schema ?? sql`current_schema()`}`.execute(db);
    for (const row of indexes.rows) {
      // pg_indexes qualifies names with the schema; drop it so two schemas compare equal.
      const definition = schema === undefined ? row.definition : row.definition.replaceAll(`${schema}.`, '');
      tables[row.table]?.indexes.push(definition);
    }
  } else {
    for (const [table, entry] of Object.entries(tables)) {
      const list = await sql<{ name: string; unique: number }>`
        select name, "unique" from pragma_index_list(${table})`.execute(db);
      for (const index of list.rows) {
        const info = await sql<{ name: string }>`
          select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
        // Automatic indexes (primary and unique keys) have positional names; describe them by their columns.
        const label = index.name.startsWith('sqlite_autoindex_') ? '' : `${index.name} `;
        entry.indexes.push(
          `${label}${index.unique ? 'unique ' : ''}(${info.rows.map((c) => c.name).join(', ')})`,
        );
      }
    }
  }
  for (const entry of Object.values(tables)) entry.indexes.sort();
  return { tables };
}
