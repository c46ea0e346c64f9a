/**
 * The composition of storage: open the database, migrate it (by default), and expose every store plus
 * `transaction`, `ping` and `close`.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { createStores } from '../stores/kysely/create-stores.js';
import { createSqliteGroupCommit, directCommit } from '../stores/kysely/group-commit.js';
import type { Storage, Stores } from '../stores/stores.js';
import { createDatabase, sqliteHandleOf } from './create-database.js';
import type { DatabaseOptions } from './create-database.js';
import { dialectOf } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { normaliseStorageError } from './storage-errors.js';

export interface StorageOptions extends DatabaseOptions {
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
}

/** A `Storage` plus the Kysely instance under it, for migrations, introspection and tests. */
export interface OpenedStorage extends Storage {
  readonly db: Kysely<Database>;
}

async function ping(db: Kysely<Database>): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    throw normaliseStorageError(err);
  }
}

/**
 * Opens storage. Rejects with `StorageUnavailable` when the database can't be reached or opened (for PostgreSQL
 * within the connect timeout), and with `MigrationFailed` when a migration fails.
 */
export async function createStorage(options: StorageOptions): Promise<OpenedStorage> {
  const db = createDatabase(options);
  try {
    await ping(db);
    const dialect = dialectOf(db);
    if (dialect === 'postgres' && options.schema !== undefined) {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    }
    if (options.migrate !== false) await migrateToLatest(db, { schema: options.schema });
    return storageOver(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw normaliseStorageError(err);
  }
}

/** A `Storage` over an already opened database (the caller has migrated it). */
export function storageOver(db: Kysely<Database>): OpenedStorage {
  const dialect = dialectOf(db);
  // SQLite has one writer and a costly commit: the token endpoints' claims and audit rows share commits.
  const sqlite = sqliteHandleOf(db);
  const commit = sqlite === undefined ? directCommit(db) : createSqliteGroupCommit(sqlite);
  const stores = createStores(db, commit);
  let closed: Promise<void> | undefined;
  return {
    ...stores,
    db,
    dialect,
    async transaction<T>(fn: (stores: Stores) => Promise<T>): Promise<T> {
      try {
        return await db.transaction().execute((trx) => fn(createStores(trx)));
      } catch (err) {
        throw normaliseStorageError(err);
      }
    },
    ping: () => ping(db),
    close() {
      closed ??= commit
        .drain()
        .then(() => sqlite?.checkpointer?.stop())
        .then(() => db.destroy());
      return closed;
    },
  };
}
