/**
 * Opens the database named by `PIMS_DATABASE_URL`: a better-sqlite3 file (the default, under the data directory) or a
 * PostgreSQL pool. Returns a `Kysely<Database>`; `destroy()` closes it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import { SQLITE_FILE_NAME } from '../config/load-config.js';
import type { Database } from './schema.js';
import { StorageUnavailable, normaliseStorageError } from './storage-errors.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

export interface DatabaseOptions {
  /** `postgres://…`/`postgresql://…`, `sqlite:<path>`, a file path, or empty for `<dataDir>/pims.db`. */
  url?: string | undefined;
  /** Data directory; the SQLite file lives here by default. Created if missing. */
  dataDir: string;
  /** PostgreSQL only: schema set as `search_path` on every connection (tests use a fresh one per run). */
  schema?: string | undefined;
  /** PostgreSQL only: how long to wait for a connection before `StorageUnavailable` (default 3000 ms). */
  connectTimeoutMs?: number;
  /** PostgreSQL only: pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL only: `statement_timeout` per connection, in ms (default none). */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL only: how long the client waits for a query's answer before failing it with `StorageUnavailable`, in
   * ms (default none). Unlike `statement_timeout` it also ends the wait when the network drops packets silently.
   */
  queryTimeoutMs?: number;
}

/** The one name of the SQLite file, whether the configuration or a direct caller picks the default. */
export const DEFAULT_SQLITE_FILE = SQLITE_FILE_NAME;
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** The SQLite file a URL points to (`:memory:` stays as is). */
export function sqliteFilePath(url: string | undefined, dataDir: string): string {
  let path = (url ?? '').trim();
  if (path.toLowerCase().startsWith('sqlite:'))
    path = path.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') return resolve(join(dataDir, DEFAULT_SQLITE_FILE));
  if (path === ':memory:') return path;
  return isAbsolute(path) ? path : resolve(path);
}

export function createDatabase(options: DatabaseOptions): Kysely<Database> {
  return isPostgresUrl(options.url) ? createPostgres(options.url, options) : createSqlite(options);
}

function ensureWritableDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new StorageUnavailable(`The data directory ${dir} can't be created or written to`, { cause: err });
  }
}

function createSqlite(options: DatabaseOptions): Kysely<Database> {
  const file = sqliteFilePath(options.url, options.dataDir);
  if (file !== ':memory:') {
    ensureWritableDirectory(resolve(options.dataDir));
    ensureWritableDirectory(dirname(file));
  }
  let database: SqliteDatabase.Database;
  try {
    database = new SqliteDatabase(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    const normalised = normaliseStorageError(err);
    throw new StorageUnavailable(`The SQLite database in ${dirname(file)} can't be opened`, {
      cause: normalised,
    });
  }
  const checkpointer = file === ':memory:' ? undefined : startWalCheckpointer(database, file);
  const cached = withStatementCache(database, () => void checkpointer?.stop());
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached.dialectDatabase }) });
  sqliteHandles.set(db, { database, prepare: cached.prepare, checkpointer });
  return db;
}

/** The better-sqlite3 connection under a SQLite `Kysely`, for work that must run synchronously on it. */
export interface SqliteHandle {
  database: SqliteDatabase.Database;
  /** Prepared statements cached by SQL text, shared with Kysely's queries. */
  prepare: (sql: string) => SqliteDatabase.Statement;
  /** The WAL checkpoints off the event loop (a file database only); stopped before the connection closes. */
  checkpointer: WalCheckpointer | undefined;
}

const sqliteHandles = new WeakMap<Kysely<Database>, SqliteHandle>();

/** The SQLite connection of a `Kysely` made by `createDatabase`; undefined for PostgreSQL (and transactions). */
export function sqliteHandleOf(db: Kysely<Database>): SqliteHandle | undefined {
  return sqliteHandles.get(db);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely asks better-sqlite3 to prepare a statement for every query, and preparing (parsing SQL, planning) costs more
 * than running most of ours. The queries come from a fixed set of store methods, so prepared statements are reused by
 * their SQL text (bounded; SQLite re-prepares one by itself after a schema change). Safe because better-sqlite3 runs
 * a statement to completion synchronously; only `iterate` holds one open, so it always gets a fresh statement.
 */
function withStatementCache(
  database: SqliteDatabase.Database,
  beforeClose: () => void,
): {
  dialectDatabase: SqliteDialectConfig['database'];
  prepare: (sql: string) => SqliteDatabase.Statement;
} {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string): SqliteDatabase.Statement => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
  const dialectDatabase: SqliteDialectConfig['database'] = {
    close: () => {
      beforeClose();
      database.close();
    },
    prepare(sql) {
      const statement = prepare(sql);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => database.prepare(sql).iterate(parameters),
      };
    },
  };
  return { dialectDatabase, prepare };
}

const defaultTypeParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;
const poolTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID && format !== 'binary'
    ? (value: string) => Number(value)
    : defaultTypeParser(oid, format)) as typeof pg.types.getTypeParser;

function createPostgres(url: string, options: DatabaseOptions): Kysely<Database> {
  const { schema } = options;
  if (schema !== undefined && !schemaPattern.test(schema)) {
    throw new TypeError('schema must be a lower-case SQL identifier');
  }
  const settings: string[] = [];
  if (schema !== undefined) settings.push(`-c search_path=${schema}`);
  if (options.statementTimeoutMs !== undefined) {
    settings.push(`-c statement_timeout=${Math.max(0, Math.trunc(options.statementTimeoutMs))}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    ...(options.queryTimeoutMs === undefined
      ? {}
      : { query_timeout: Math.max(1, Math.trunc(options.queryTimeoutMs)) }),
    ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    // int8 (counts, bigint milliseconds, identity columns) as numbers, for this pool only: pg's global parsers stay.
    types: { getTypeParser: poolTypeParser },
  });
  // An idle client losing its connection (server restart, 57P01) emits here; without a listener Node would crash.
  // The next query gets a fresh connection or a StorageUnavailable, so there is nothing to do.
  pool.on('error', () => undefined);
  // A checked-out client whose connection dies between queries (inside a transaction) emits 'error' too, and pg-pool
  // only listens while the client is idle. The query in flight or the next one fails (→ StorageUnavailable) and
  // pg-pool discards the broken client on release, so the listener only has to keep the process alive.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
