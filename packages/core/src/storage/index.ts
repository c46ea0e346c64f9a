export { createDatabase, isPostgresUrl, sqliteFilePath, DEFAULT_SQLITE_FILE } from './create-database.js';
export type { DatabaseOptions } from './create-database.js';
export { createStorage, storageOver } from './create-storage.js';
export type { OpenedStorage, StorageOptions } from './create-storage.js';
export { dialectOf } from './dialect.js';
export type { DialectName } from './dialect.js';
export { describeSchema } from './introspect.js';
export type { SchemaDescription } from './introspect.js';
export { migrateDown, migrateToLatest } from './migrate.js';
export type { MigrateDownOptions, MigrateOptions } from './migrate.js';
export { migrations, migrationProvider } from './migrations/index.js';
export type * from './schema.js';
export {
  InvalidCursor,
  MigrationFailed,
  NotFound,
  ReferenceViolation,
  StorageError,
  StorageUnavailable,
  UniqueViolation,
  normaliseStorageError,
} from './storage-errors.js';
export type { StorageErrorCode } from './storage-errors.js';
export type { Kysely } from 'kysely';
