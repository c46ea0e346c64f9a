import type { Kysely, Selectable } from 'kysely';
import type { Database, InvitationsTable } from '../../storage/schema.js';
import type { Invitation } from '../records.js';
import type { InvitationStore } from '../stores.js';
import { after, decodeCursor, pageLimit, toPage } from './pagination.js';
import { affected, num, numOrNull } from './rows.js';

function toInvitation(row: Selectable<InvitationsTable>): Invitation {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    role: row.role,
    tokenHash: row.token_hash,
    invitedBy: row.invited_by,
    expiresAt: num(row.expires_at),
    acceptedAt: numOrNull(row.accepted_at),
    revokedAt: numOrNull(row.revoked_at),
    createdAt: num(row.created_at),
  };
}

export function createInvitationStore(db: Kysely<Database>): InvitationStore {
  return {
    async insertInvitation(orgId, invitation) {
      const row = await db
        .insertInto('invitations')
        .values({
          id: invitation.id,
          org_id: orgId,
          email: invitation.email.toLowerCase(),
          role: invitation.role,
          token_hash: invitation.tokenHash,
          invited_by: invitation.invitedBy,
          expires_at: invitation.expiresAt,
          accepted_at: invitation.acceptedAt,
          revoked_at: invitation.revokedAt,
          created_at: invitation.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toInvitation(row);
    },

    async findInvitationById(orgId, invitationId) {
      const row = await db
        .selectFrom('invitations')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', invitationId)
        .executeTakeFirst();
      return row && toInvitation(row);
    },

    async findInvitationByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toInvitation(row);
    },

    async listInvitations(orgId, options = {}) {
      const limit = pageLimit(options.limit);
      let query = db.selectFrom('invitations').selectAll().where('org_id', '=', orgId);
      if (options.cursor !== undefined) {
        query = query.where(after('created_at', 'id', decodeCursor(options.cursor, ['number', 'string'])));
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toInvitation, (r) => [num(r.created_at), r.id]);
    },

    async markInvitationAccepted(orgId, invitationId, now) {
      const result = await db
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('org_id', '=', orgId)
        .where('id', '=', invitationId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return affected(result) > 0;
    },

    async revokeInvitationById(orgId, invitationId, now) {
      const result = await db
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('org_id', '=', orgId)
        .where('id', '=', invitationId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
