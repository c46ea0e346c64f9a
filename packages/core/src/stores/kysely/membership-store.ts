import type { Kysely, Selectable } from 'kysely';
import { dialectOf } from '../../storage/dialect.js';
import type { Database, OrgMembershipsTable } from '../../storage/schema.js';
import type { Membership } from '../records.js';
import type { MembershipStore } from '../stores.js';
import { after, decodeCursor, pageLimit, toPage } from './pagination.js';
import { affected, num } from './rows.js';

function toMembership(row: Selectable<OrgMembershipsTable>): Membership {
  return {
    orgId: row.org_id,
    userId: row.user_id,
    role: row.role,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function createMembershipStore(db: Kysely<Database>): MembershipStore {
  return {
    async insertMembership(orgId, membership) {
      const row = await db
        .insertInto('org_memberships')
        .values({
          org_id: orgId,
          user_id: membership.userId,
          role: membership.role,
          created_at: membership.createdAt,
          updated_at: membership.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMembership(row);
    },

    async findMembership(orgId, userId) {
      const row = await db
        .selectFrom('org_memberships')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toMembership(row);
    },

    async listMemberships(orgId, options = {}) {
      const limit = pageLimit(options.limit);
      let query = db.selectFrom('org_memberships').selectAll().where('org_id', '=', orgId);
      if (options.role !== undefined) query = query.where('role', '=', options.role);
      if (options.cursor !== undefined) {
        query = query.where(
          after('created_at', 'user_id', decodeCursor(options.cursor, ['number', 'string'])),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('user_id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toMembership, (r) => [num(r.created_at), r.user_id]);
    },

    async listMembershipsOfUser(userId) {
      const rows = await db
        .selectFrom('org_memberships')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('org_id')
        .execute();
      return rows.map(toMembership);
    },

    async countAdmins(orgId) {
      const row = await db
        .selectFrom('org_memberships')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow();
      return num(row.count);
    },

    async lockActiveAdmins(orgId) {
      if (dialectOf(db) === 'postgres') {
        await db
          .selectFrom('org_memberships')
          .select('user_id')
          .where('org_id', '=', orgId)
          .where('role', '=', 'admin')
          .forUpdate()
          .execute();
      } else {
        // SQLite has no row locks: a write that changes nothing takes the database write lock now (as BEGIN IMMEDIATE
        // would), so no other connection can change memberships between the count below and the caller's change.
        await db
          .updateTable('org_memberships')
          .set((eb) => ({ role: eb.ref('role') }))
          .where('org_id', '=', orgId)
          .where('role', '=', 'admin')
          .execute();
      }
      // A statement of its own, after the lock: on PostgreSQL (read committed) it sees what a transaction that held
      // the lock before us committed.
      const rows = await db
        .selectFrom('org_memberships')
        .innerJoin('users', 'users.id', 'org_memberships.user_id')
        .select('org_memberships.user_id')
        .where('org_memberships.org_id', '=', orgId)
        .where('org_memberships.role', '=', 'admin')
        .where('users.status', '=', 'active')
        .orderBy('org_memberships.user_id')
        .execute();
      return rows.map((row) => row.user_id);
    },

    async updateMembershipRole(orgId, userId, role, updatedAt) {
      const row = await db
        .updateTable('org_memberships')
        .set({ role, updated_at: updatedAt })
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toMembership(row);
    },

    async deleteMembership(orgId, userId) {
      const result = await db
        .deleteFrom('org_memberships')
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
