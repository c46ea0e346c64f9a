import type { Kysely, Selectable } from 'kysely';
import type { Database, UsedAssertionsTable } from '../../storage/schema.js';
import type { UsedAssertion } from '../records.js';
import type { UsedAssertionStore } from '../stores.js';
import { deleteInBatches } from './delete-in-batches.js';
import { directCommit, type GroupCommit } from './group-commit.js';
import { prepareQuery } from './prepared-query.js';
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

interface ClaimValues extends Record<string, unknown> {
  key: string;
  clientId: string;
  expiresAt: number;
  tokenClaims: string | null;
  createdAt: number;
}

/**
 * One statement, atomic on both dialects: insert, or on a key conflict take over the existing row only if it had
 * expired by the new row's `createdAt` (the caller's "now"). A row comes back exactly when this call won.
 */
function prepareClaim(db: Kysely<Database>) {
  return prepareQuery<ClaimValues, { key: string }>(
    db,
    ['key', 'clientId', 'expiresAt', 'tokenClaims', 'createdAt'],
    (v) =>
      db
        .insertInto('used_assertions')
        .values({
          key: v.key,
          client_id: v.clientId,
          expires_at: v.expiresAt,
          token_claims: v.tokenClaims,
          created_at: v.createdAt,
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
        .returning('key'),
  );
}

/** `commit`: how the claim is written — in a group commit on SQLite, on its own otherwise. */
export function createUsedAssertionStore(
  db: Kysely<Database>,
  commit: GroupCommit = directCommit(db),
): UsedAssertionStore {
  const claim = prepareClaim(db);
  return {
    async insertUsedAssertion(assertion) {
      const values: ClaimValues = {
        key: assertion.key,
        clientId: assertion.clientId,
        expiresAt: assertion.expiresAt,
        tokenClaims: assertion.tokenClaims === null ? null : JSON.stringify(assertion.tokenClaims),
        createdAt: assertion.createdAt,
      };
      const result = await commit.run(claim(values));
      return result.rows.length > 0;
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

    deleteExpiredAssertions(now, options) {
      return deleteInBatches(async (limit) => {
        const expired = db
          .selectFrom('used_assertions')
          .select('key')
          .where('expires_at', '<=', now)
          .limit(limit);
        return affected(
          await db.deleteFrom('used_assertions').where('key', 'in', expired).executeTakeFirst(),
        );
      }, options);
    },
  };
}
