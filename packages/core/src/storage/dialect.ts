import { PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Which of the two supported dialects a Kysely instance (or transaction) talks to. */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
