import type { Kysely, Selectable } from 'kysely';
import type { Database, OperatorsTable } from '../../storage/schema.js';
import type { Operator } from '../records.js';
import type { OperatorStore } from '../stores.js';
import { defined, num } from './rows.js';

function toOperator(row: Selectable<OperatorsTable>): Operator {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    status: row.status,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Emails are stored and looked up lower-cased, like users'. */
export function createOperatorStore(db: Kysely<Database>): OperatorStore {
  return {
    async insertOperator(operator) {
      const row = await db
        .insertInto('operators')
        .values({
          id: operator.id,
          email: operator.email.toLowerCase(),
          name: operator.name,
          password_hash: operator.passwordHash,
          status: operator.status,
          created_at: operator.createdAt,
          updated_at: operator.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOperator(row);
    },

    async findOperatorById(operatorId) {
      const row = await db
        .selectFrom('operators')
        .selectAll()
        .where('id', '=', operatorId)
        .executeTakeFirst();
      return row && toOperator(row);
    },

    async findOperatorByEmail(email) {
      const row = await db
        .selectFrom('operators')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return row && toOperator(row);
    },

    async listOperators() {
      const rows = await db.selectFrom('operators').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toOperator);
    },

    async updateOperatorById(operatorId, patch) {
      const row = await db
        .updateTable('operators')
        .set(
          defined({
            name: patch.name,
            password_hash: patch.passwordHash,
            status: patch.status,
            updated_at: patch.updatedAt,
          }),
        )
        .where('id', '=', operatorId)
        .returningAll()
        .executeTakeFirst();
      return row && toOperator(row);
    },
  };
}
