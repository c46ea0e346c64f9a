import type { Kysely, Selectable } from 'kysely';
import type { Database, OrganizationsTable } from '../../storage/schema.js';
import type { Organization } from '../records.js';
import type { OrganizationStore } from '../stores.js';
import { after, decodeCursor, pageLimit, toPage } from './pagination.js';
import { defined, num } from './rows.js';

function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function createOrganizationStore(db: Kysely<Database>): OrganizationStore {
  return {
    async insertOrganization(org) {
      const row = await db
        .insertInto('organizations')
        .values({
          id: org.id,
          name: org.name,
          status: org.status,
          created_at: org.createdAt,
          updated_at: org.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOrganization(row);
    },

    async findOrganizationById(orgId) {
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', orgId).executeTakeFirst();
      return row && toOrganization(row);
    },

    async listOrganizations(options = {}) {
      const limit = pageLimit(options.limit);
      let query = db.selectFrom('organizations').selectAll();
      if (options.status !== undefined) query = query.where('status', '=', options.status);
      if (options.cursor !== undefined) {
        query = query.where(after('created_at', 'id', decodeCursor(options.cursor, ['number', 'string'])));
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toOrganization, (r) => [num(r.created_at), r.id]);
    },

    async updateOrganizationById(orgId, patch) {
      const row = await db
        .updateTable('organizations')
        .set(defined({ name: patch.name, status: patch.status, updated_at: patch.updatedAt }))
        .where('id', '=', orgId)
        .returningAll()
        .executeTakeFirst();
      return row && toOrganization(row);
    },
  };
}
