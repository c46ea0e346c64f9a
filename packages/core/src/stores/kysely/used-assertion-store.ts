import type { Kysely, Selectable } from 'kysely';
import type { Database, UsedAssertionsTable } from '../../storage/schema.js';
import type { UsedAssertion } from '../records.js';
import type { UsedAssertionStore } from '../stores.js';
import { affected, num, parseObjectOrNull } from './rows.js';

function toUsedAssertion(row: Selectable<UsedAssertionsTable>): UsedAssertion {
  return {
    key: row.key,
    clientId: row.client_id,
    expiresAt: num(row.expires_at),
    tokenClaims: parseObjectOrNull(row.token_claims),
    createdAt: num(row.created_at),
  };
}

export function createUsedAssertionStore(db: Kysely<Database>): UsedAssertionStore {
  return {
    /**
     * One statement, atomic on both dialects: insert, or on a key conflict take over the existing row only if it
     * had expired by the new row's `createdAt` (the caller's "now"). A row comes back exactly when this call won.
     */
    async insertUsedAssertion(assertion) {
      const row = await db
        .insertInto('used_assertions')
        .values({
          key: assertion.key,
          client_id: assertion.clientId,
          expires_at: assertion.expiresAt,
          token_claims: assertion.tokenClaims === null ? null : JSON.stringify(assertion.tokenClaims),
          created_at: assertion.createdAt,
        })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet((eb) => ({
              client_id: eb.ref('excluded.client_id'),
              expires_at: eb.ref('excluded.expires_at'),
              token_claims: eb.ref('excluded.token_claims'),
              created_at: eb.ref('excluded.created_at'),
            }))
            .where('used_assertions.expires_at', '<=', (eb) => eb.ref('excluded.created_at')),
        )
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    },

    async findUsedAssertion(key, now) {
      const row = await db
        .selectFrom('used_assertions')
        .selectAll()
        .where('key', '=', key)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && toUsedAssertion(row);
    },

    async deleteExpiredAssertions(now) {
      const result = await db.deleteFrom('used_assertions').where('expires_at', '<=', now).executeTakeFirst();
      return affected(result);
    },
  };
}
