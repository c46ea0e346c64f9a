/**
 * `UsedAssertionStore.deleteExpiredAssertions` in bounded batches (`deleteInBatches`): `createStores` puts it in place
 * of the single unbounded DELETE of `createUsedAssertionStore`. Once that store runs this statement itself, this file
 * and the override in `create-stores.ts` go.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { BatchOptions } from '../stores.js';
import { deleteInBatches } from './delete-in-batches.js';
import { affected } from './rows.js';

export function deleteExpiredAssertions(
  db: Kysely<Database>,
  now: number,
  options?: BatchOptions,
): Promise<number> {
  return deleteInBatches(async (limit) => {
    const expired = db
      .selectFrom('used_assertions')
      .select('key')
      .where('expires_at', '<=', now)
      .limit(limit);
    return affected(await db.deleteFrom('used_assertions').where('key', 'in', expired).executeTakeFirst());
  }, options);
}
