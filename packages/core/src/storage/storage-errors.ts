/**
 * Storage errors with stable codes. Every driver error that leaves a store passes through `normaliseStorageError`,
 * so callers see these classes instead of better-sqlite3 or pg errors. Messages are fixed texts: no driver message,
 * SQL or value ever appears in them (the original error stays in `cause` for logs that are allowed to see it).
 */

export type StorageErrorCode =
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_UNIQUE_VIOLATION'
  | 'STORAGE_REFERENCE_VIOLATION'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_INVALID_CURSOR'
  | 'STORAGE_MIGRATION_FAILED';

export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;
}

/** Thrown only by `get…` helpers; `find…` methods return `undefined`. */
export class NotFound extends StorageError {
  readonly code = 'STORAGE_NOT_FOUND' as const;
  constructor(
    readonly entity: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} not found`, options);
    this.name = 'NotFound';
  }
}

/** A duplicate key. `table` and `columns` (names only, never values) say which constraint, when the driver tells. */
export class UniqueViolation extends StorageError {
  readonly code = 'STORAGE_UNIQUE_VIOLATION' as const;
  readonly table: string | undefined;
  readonly columns: readonly string[];
  constructor(
    target: { table?: string | undefined; columns?: readonly string[] } = {},
    options?: ErrorOptions,
  ) {
    super('Unique constraint violated', options);
    this.name = 'UniqueViolation';
    this.table = target.table;
    this.columns = target.columns ?? [];
  }
}

/** A foreign key points at a row that does not exist (e.g. a credential for an unknown project). */
export class ReferenceViolation extends StorageError {
  readonly code = 'STORAGE_REFERENCE_VIOLATION' as const;
  constructor(options?: ErrorOptions) {
    super('Referenced row does not exist', options);
    this.name = 'ReferenceViolation';
  }
}

/** The database can't be reached, is busy beyond the timeout, or can't be opened. Retryable. */
export class StorageUnavailable extends StorageError {
  readonly code = 'STORAGE_UNAVAILABLE' as const;
  constructor(message = 'Storage unavailable', options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageUnavailable';
  }
}

/** A pagination cursor that this storage did not produce. */
export class InvalidCursor extends StorageError {
  readonly code = 'STORAGE_INVALID_CURSOR' as const;
  constructor() {
    super('Invalid pagination cursor');
    this.name = 'InvalidCursor';
  }
}

/** A migration failed; `migration` names it. */
export class MigrationFailed extends StorageError {
  readonly code = 'STORAGE_MIGRATION_FAILED' as const;
  constructor(
    readonly migration: string | undefined,
    options?: ErrorOptions,
  ) {
    super(migration ? `Migration ${migration} failed` : 'Migrations failed', options);
    this.name = 'MigrationFailed';
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  detail?: unknown;
  errors?: unknown;
}

const sqliteUnavailable = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT|PROTOCOL)/;
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
// pg and pg-pool report these without a code.
const pgConnectionMessages = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection timeout/i,
  /query read timeout/i,
  /is not queryable/i,
  /cannot use a pool after calling end/i,
  /driver has already been destroyed/i,
];

function isPgUnavailableCode(code: string): boolean {
  // 08: connection exception; 53: insufficient resources (too many connections, disk full);
  // 57P01-57P03: admin/crash shutdown, cannot connect now; 57014: statement timeout / cancelled.
  return (
    /^08[0-9A-Z]{3}$/.test(code) ||
    /^53[0-9A-Z]{3}$/.test(code) ||
    /^57P0[1-5]$/.test(code) ||
    code === '57014'
  );
}

function sqliteUniqueTarget(message: string): { table?: string; columns?: string[] } {
  // "UNIQUE constraint failed: projects.org_id, projects.name"
  const match = /constraint failed: (.+)$/.exec(message);
  if (!match?.[1]) return {};
  const parts = match[1].split(',').map((part) => part.trim().split('.'));
  const table = parts[0]?.[0];
  const columns = parts.map((part) => part[1]).filter((c): c is string => typeof c === 'string');
  return table ? { table, columns } : {};
}

function pgUniqueTarget(err: DriverError): { table?: string; columns?: string[] } {
  const table = typeof err.table === 'string' ? err.table : undefined;
  // detail: "Key (org_id, name)=(…) already exists." — only the column names are kept.
  const match = typeof err.detail === 'string' ? /^Key \(([^)]*)\)=/.exec(err.detail) : null;
  const columns = match?.[1] ? match[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [];
  return { table, columns };
}

function isUnavailable(err: DriverError): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  if (sqliteUnavailable.test(code) || networkCodes.has(code) || isPgUnavailableCode(code)) return true;
  if (Array.isArray(err.errors)) {
    // Node's AggregateError when every address of a host refused.
    if (
      err.errors.some(
        (inner) => typeof inner === 'object' && inner !== null && isUnavailable(inner as DriverError),
      )
    )
      return true;
  }
  const message = typeof err.message === 'string' ? err.message : '';
  return code === '' && pgConnectionMessages.some((pattern) => pattern.test(message));
}

/**
 * Maps a better-sqlite3 or pg error to a storage error. Storage errors pass through unchanged; anything unknown is
 * returned as is (a bug, rendered as a fixed 500 by the server).
 */
export function normaliseStorageError(err: unknown): unknown {
  if (err instanceof StorageError) return err;
  if (typeof err !== 'object' || err === null) return err;
  const e = err as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolation(sqliteUniqueTarget(typeof e.message === 'string' ? e.message : ''), {
      cause: err,
    });
  }
  if (code === '23505') return new UniqueViolation(pgUniqueTarget(e), { cause: err });
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503')
    return new ReferenceViolation({ cause: err });
  if (isUnavailable(e)) return new StorageUnavailable(undefined, { cause: err });
  return err;
}

/** Runs `fn`, rethrowing its failure normalised. */
export async function normalised<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw normaliseStorageError(err);
  }
}
