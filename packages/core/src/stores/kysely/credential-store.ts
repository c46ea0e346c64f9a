import type { Kysely, Selectable } from 'kysely';
import type { CredentialsTable, Database } from '../../storage/schema.js';
import type { Credential } from '../records.js';
import type { CredentialStore } from '../stores.js';
import { after, decodeCursor, pageLimit, toPage } from './pagination.js';
import { affected, defined, fromFlag, num, parseStringArray, toFlag } from './rows.js';

function toCredential(row: Selectable<CredentialsTable>): Credential {
  return {
    id: row.id,
    orgId: row.org_id,
    projectId: row.project_id,
    name: row.name,
    clientId: row.client_id,
    technicalAccountId: row.technical_account_id,
    technicalAccountEmail: row.technical_account_email,
    jwtEnabled: fromFlag(row.jwt_enabled),
    oauthEnabled: fromFlag(row.oauth_enabled),
    metascopes: parseStringArray(row.metascopes),
    scopes: parseStringArray(row.scopes),
    status: row.status,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Credentials belong to a project of the same org: the (org_id, project_id) foreign key enforces it. */
export function createCredentialStore(db: Kysely<Database>): CredentialStore {
  return {
    async insertCredential(orgId, credential) {
      const row = await db
        .insertInto('credentials')
        .values({
          id: credential.id,
          org_id: orgId,
          project_id: credential.projectId,
          name: credential.name,
          client_id: credential.clientId,
          technical_account_id: credential.technicalAccountId,
          technical_account_email: credential.technicalAccountEmail,
          jwt_enabled: toFlag(credential.jwtEnabled),
          oauth_enabled: toFlag(credential.oauthEnabled),
          metascopes: JSON.stringify(credential.metascopes),
          scopes: JSON.stringify(credential.scopes),
          status: credential.status,
          created_at: credential.createdAt,
          updated_at: credential.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCredential(row);
    },

    async findCredentialById(orgId, credentialId) {
      const row = await db
        .selectFrom('credentials')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', credentialId)
        .executeTakeFirst();
      return row && toCredential(row);
    },

    async findCredentialByClientId(clientId) {
      const row = await db
        .selectFrom('credentials')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && toCredential(row);
    },

    async listCredentials(orgId, options = {}) {
      const limit = pageLimit(options.limit);
      let query = db.selectFrom('credentials').selectAll().where('org_id', '=', orgId);
      if (options.projectId !== undefined) query = query.where('project_id', '=', options.projectId);
      if (options.cursor !== undefined) {
        query = query.where(after('created_at', 'id', decodeCursor(options.cursor, ['number', 'string'])));
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toCredential, (r) => [num(r.created_at), r.id]);
    },

    async updateCredentialById(orgId, credentialId, patch) {
      const row = await db
        .updateTable('credentials')
        .set(
          defined({
            name: patch.name,
            jwt_enabled: patch.jwtEnabled === undefined ? undefined : toFlag(patch.jwtEnabled),
            oauth_enabled: patch.oauthEnabled === undefined ? undefined : toFlag(patch.oauthEnabled),
            metascopes: patch.metascopes === undefined ? undefined : JSON.stringify(patch.metascopes),
            scopes: patch.scopes === undefined ? undefined : JSON.stringify(patch.scopes),
            status: patch.status,
            updated_at: patch.updatedAt,
          }),
        )
        .where('org_id', '=', orgId)
        .where('id', '=', credentialId)
        .returningAll()
        .executeTakeFirst();
      return row && toCredential(row);
    },

    async deleteCredentialById(orgId, credentialId) {
      const result = await db
        .deleteFrom('credentials')
        .where('org_id', '=', orgId)
        .where('id', '=', credentialId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
