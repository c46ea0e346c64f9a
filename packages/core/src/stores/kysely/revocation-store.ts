import type { Kysely, Selectable } from 'kysely';
import type { Database, RevocationsTable } from '../../storage/schema.js';
import type { Revocation } from '../records.js';
import type { RevocationStore } from '../stores.js';
import { deleteInBatches } from './delete-in-batches.js';
import { pageLimit } from './pagination.js';
import { affected, num } from './rows.js';

export const DEFAULT_FEED_SIZE = 1000;
export const MAX_FEED_SIZE = 10_000;

function toRevocation(row: Selectable<RevocationsTable>): Revocation {
  return {
    seq: num(row.seq),
    kind: row.kind,
    subject: row.subject,
    orgId: row.org_id,
    expiresAt: num(row.expires_at),
    createdAt: num(row.created_at),
  };
}

export function createRevocationStore(db: Kysely<Database>): RevocationStore {
  return {
    async insertRevocation(revocation) {
      const row = await db
        .insertInto('revocations')
        .values({
          kind: revocation.kind,
          subject: revocation.subject,
          org_id: revocation.orgId,
          expires_at: revocation.expiresAt,
          created_at: revocation.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRevocation(row);
    },

    async listRevocationsSince(since, now, limit) {
      const rows = await db
        .selectFrom('revocations')
        .selectAll()
        .where('seq', '>', since)
        .where('expires_at', '>', now)
        .orderBy('seq')
        .limit(pageLimit(limit, MAX_FEED_SIZE, DEFAULT_FEED_SIZE))
        .execute();
      return rows.map(toRevocation);
    },

    async isRevoked(kind, subject, now) {
      const row = await db
        .selectFrom('revocations')
        .select('seq')
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .where('expires_at', '>', now)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    deleteExpiredRevocations(now, options) {
      return deleteInBatches(async (limit) => {
        const expired = db
          .selectFrom('revocations')
          .select('seq')
          .where('expires_at', '<=', now)
          .limit(limit);
        return affected(await db.deleteFrom('revocations').where('seq', 'in', expired).executeTakeFirst());
      }, options);
    },
  };
}
