import type { Kysely, Selectable } from 'kysely';
import type { ClientSecretsTable, Database } from '../../storage/schema.js';
import type { ClientSecret } from '../records.js';
import type { ClientSecretStore } from '../stores.js';
import { affected, num, numOrNull } from './rows.js';

function toClientSecret(row: Selectable<ClientSecretsTable>): ClientSecret {
  return {
    id: row.id,
    orgId: row.org_id,
    credentialId: row.credential_id,
    secretHash: row.secret_hash,
    hint: row.hint,
    createdAt: num(row.created_at),
    lastUsedAt: numOrNull(row.last_used_at),
  };
}

export function createClientSecretStore(db: Kysely<Database>): ClientSecretStore {
  return {
    async insertClientSecret(orgId, secret) {
      const row = await db
        .insertInto('client_secrets')
        .values({
          id: secret.id,
          org_id: orgId,
          credential_id: secret.credentialId,
          secret_hash: secret.secretHash,
          hint: secret.hint,
          created_at: secret.createdAt,
          last_used_at: secret.lastUsedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toClientSecret(row);
    },

    async listClientSecrets(orgId, credentialId) {
      const rows = await db
        .selectFrom('client_secrets')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('credential_id', '=', credentialId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toClientSecret);
    },

    async touchClientSecret(orgId, secretId, lastUsedAt) {
      await db
        .updateTable('client_secrets')
        .set({ last_used_at: lastUsedAt })
        .where('org_id', '=', orgId)
        .where('id', '=', secretId)
        .execute();
    },

    async deleteClientSecretById(orgId, secretId) {
      const result = await db
        .deleteFrom('client_secrets')
        .where('org_id', '=', orgId)
        .where('id', '=', secretId)
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
