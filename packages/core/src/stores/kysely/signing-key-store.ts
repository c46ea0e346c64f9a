import type { Kysely, Selectable } from 'kysely';
import type { Database, SigningKeysTable } from '../../storage/schema.js';
import type { SigningKey } from '../records.js';
import type { SigningKeyStore } from '../stores.js';
import { affected, defined, num, numOrNull, parseObject } from './rows.js';

function toSigningKey(row: Selectable<SigningKeysTable>): SigningKey {
  return {
    kid: row.kid,
    state: row.state,
    algorithm: row.algorithm,
    publicJwk: parseObject(row.public_jwk),
    certificatePem: row.certificate_pem,
    encryptedPrivateKey: row.encrypted_private_key,
    createdAt: num(row.created_at),
    activatedAt: numOrNull(row.activated_at),
    retiredAt: numOrNull(row.retired_at),
    removeAfter: numOrNull(row.remove_after),
  };
}

export function createSigningKeyStore(db: Kysely<Database>): SigningKeyStore {
  return {
    async insertSigningKey(key) {
      const row = await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          state: key.state,
          algorithm: key.algorithm,
          public_jwk: JSON.stringify(key.publicJwk),
          certificate_pem: key.certificatePem,
          encrypted_private_key: key.encryptedPrivateKey,
          created_at: key.createdAt,
          activated_at: key.activatedAt,
          retired_at: key.retiredAt,
          remove_after: key.removeAfter,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSigningKey(row);
    },

    async findSigningKeyByKid(kid) {
      const row = await db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
      return row && toSigningKey(row);
    },

    async listSigningKeys(options = {}) {
      let query = db.selectFrom('signing_keys').selectAll();
      if (options.states !== undefined) {
        if (options.states.length === 0) return [];
        query = query.where('state', 'in', options.states);
      }
      const rows = await query.orderBy('created_at').orderBy('kid').execute();
      return rows.map(toSigningKey);
    },

    async updateSigningKey(kid, patch) {
      const values = defined({
        state: patch.state,
        activated_at: patch.activatedAt,
        retired_at: patch.retiredAt,
        remove_after: patch.removeAfter,
      });
      if (Object.keys(values).length === 0) {
        const row = await db.selectFrom('signing_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
        return row && toSigningKey(row);
      }
      const row = await db
        .updateTable('signing_keys')
        .set(values)
        .where('kid', '=', kid)
        .returningAll()
        .executeTakeFirst();
      return row && toSigningKey(row);
    },

    async deleteSigningKeyByKid(kid) {
      const result = await db.deleteFrom('signing_keys').where('kid', '=', kid).executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
