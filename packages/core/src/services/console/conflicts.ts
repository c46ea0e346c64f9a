import { UniqueViolation } from '../../storage/storage-errors.js';

/** A duplicate key (name taken, e-mail already there…): answered 409. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof UniqueViolation || (err as { code?: unknown } | null)?.code === 'STORAGE_UNIQUE_VIOLATION'
  );
}
