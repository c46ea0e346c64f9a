import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../../storage/schema.js';
import type { User } from '../records.js';
import type { UserStore } from '../stores.js';
import { defined, num } from './rows.js';

function toUser(row: Selectable<UsersTable>): User {
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

/** Emails are stored and looked up lower-cased, so the unique index can't be dodged by case. */
export function createUserStore(db: Kysely<Database>): UserStore {
  return {
    async insertUser(user) {
      const row = await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email.toLowerCase(),
          name: user.name,
          password_hash: user.passwordHash,
          status: user.status,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },

    async findUserById(userId) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      return row && toUser(row);
    },

    async findUserByEmail(email) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return row && toUser(row);
    },

    async updateUserById(userId, patch) {
      const row = await db
        .updateTable('users')
        .set(
          defined({
            name: patch.name,
            password_hash: patch.passwordHash,
            status: patch.status,
            updated_at: patch.updatedAt,
          }),
        )
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toUser(row);
    },
  };
}
