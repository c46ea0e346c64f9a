import type { Kysely, Selectable } from 'kysely';
import type { Database, ProjectsTable } from '../../storage/schema.js';
import type { Project } from '../records.js';
import type { ProjectStore } from '../stores.js';
import { after, decodeCursor, pageLimit, toPage } from './pagination.js';
import { affected, defined, num } from './rows.js';

function toProject(row: Selectable<ProjectsTable>): Project {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function createProjectStore(db: Kysely<Database>): ProjectStore {
  return {
    async insertProject(orgId, project) {
      const row = await db
        .insertInto('projects')
        .values({
          id: project.id,
          org_id: orgId,
          name: project.name,
          description: project.description,
          created_at: project.createdAt,
          updated_at: project.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProject(row);
    },

    async findProjectById(orgId, projectId) {
      const row = await db
        .selectFrom('projects')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', projectId)
        .executeTakeFirst();
      return row && toProject(row);
    },

    async listProjects(orgId, options = {}) {
      const limit = pageLimit(options.limit);
      let query = db.selectFrom('projects').selectAll().where('org_id', '=', orgId);
      if (options.cursor !== undefined) {
        query = query.where(after('created_at', 'id', decodeCursor(options.cursor, ['number', 'string'])));
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toProject, (r) => [num(r.created_at), r.id]);
    },

    async updateProjectById(orgId, projectId, patch) {
      const row = await db
        .updateTable('projects')
        .set(defined({ name: patch.name, description: patch.description, updated_at: patch.updatedAt }))
        .where('org_id', '=', orgId)
        .where('id', '=', projectId)
        .returningAll()
        .executeTakeFirst();
      return row && toProject(row);
    },

    async deleteProjectById(orgId, projectId) {
      const result = await db
        .deleteFrom('projects')
        .where('org_id', '=', orgId)
        .where('id', '=', projectId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
