/** Runs the in-code migrations up or down with Kysely's `Migrator`, throwing `MigrationFailed` on failure. */
import { Migrator, NO_MIGRATIONS } from 'kysely';
import type { Kysely, MigrationResult, MigrationResultSet } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { MigrationFailed, StorageUnavailable, normaliseStorageError } from './storage-errors.js';

export interface MigrateOptions {
  /** PostgreSQL: the schema holding the tables and Kysely's migration bookkeeping (default: the `search_path`). */
  schema?: string | undefined;
}

export interface MigrateDownOptions extends MigrateOptions {
  /** How many migrations to undo (default 1), or `'all'`. */
  steps?: number | 'all';
}

function migrator<DB>(db: Kysely<DB>, options: MigrateOptions): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(options.schema !== undefined ? { migrationTableSchema: options.schema } : {}),
  });
}

function settle({ error, results }: MigrationResultSet): MigrationResult[] {
  if (error === undefined) return results ?? [];
  const normalised = normaliseStorageError(error);
  if (normalised instanceof StorageUnavailable) throw normalised;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  throw new MigrationFailed(failed, { cause: error });
}

/** Applies every pending migration; returns what ran (empty when up to date). */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  options: MigrateOptions = {},
): Promise<MigrationResult[]> {
  return settle(await migrator(db, options).migrateToLatest());
}

/** Undoes the latest migration (or `steps` of them, or all); returns what ran. */
export async function migrateDown<DB>(
  db: Kysely<DB>,
  options: MigrateDownOptions = {},
): Promise<MigrationResult[]> {
  const m = migrator(db, options);
  if (options.steps === 'all') return settle(await m.migrateTo(NO_MIGRATIONS));
  const done: MigrationResult[] = [];
  for (let i = 0; i < (options.steps ?? 1); i++) {
    const results = settle(await m.migrateDown());
    if (results.length === 0) break;
    done.push(...results);
  }
  return done;
}
