import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from '../../storage/schema.js';
import type { Session } from '../records.js';
import type { SessionStore } from '../stores.js';
import { deleteInBatches } from './delete-in-batches.js';
import { affected, num, numOrNull } from './rows.js';

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: num(row.created_at),
    lastSeenAt: num(row.last_seen_at),
    expiresAt: num(row.expires_at),
    revokedAt: numOrNull(row.revoked_at),
  };
}

export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async insertSession(session) {
      const row = await db
        .insertInto('sessions')
        .values({
          id: session.id,
          token_hash: session.tokenHash,
          subject_type: session.subjectType,
          subject_id: session.subjectId,
          ip: session.ip,
          user_agent: session.userAgent,
          created_at: session.createdAt,
          last_seen_at: session.lastSeenAt,
          expires_at: session.expiresAt,
          revoked_at: session.revokedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },

    async findSessionByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toSession(row);
    },

    async listSessionsOfSubject(subjectType, subjectId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toSession);
    },

    async touchSession(sessionId, lastSeenAt) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: lastSeenAt })
        .where('id', '=', sessionId)
        .execute();
    },

    async revokeSessionById(sessionId, now) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id', '=', sessionId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) > 0;
    },

    async revokeSessionsOfSubject(subjectType, subjectId, now) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result);
    },

    deleteExpiredSessions(now, options) {
      return deleteInBatches(async (limit) => {
        const expired = db.selectFrom('sessions').select('id').where('expires_at', '<=', now).limit(limit);
        return affected(await db.deleteFrom('sessions').where('id', 'in', expired).executeTakeFirst());
      }, options);
    },
  };
}
