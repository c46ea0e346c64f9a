/**
 * 0001: every table of `schema.ts`. Immutable once landed: change the schema with a new migration.
 * Milliseconds are `bigint` in PostgreSQL and `integer` (64-bit) in SQLite; ids are text; flags are small integers.
 */
import { sql } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from 'kysely';
import { dialectOf } from '../dialect.js';

// Kysely types migration databases as `Kysely<any>` so migrations don't depend on the current schema type.
type Db = Kysely<unknown>;
type Table = CreateTableBuilder<string, never>;

function checkIn(column: string, values: readonly (string | number)[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

function builders(db: Db) {
  const pg = dialectOf(db) === 'postgres';
  const ms = pg ? ('bigint' as const) : ('integer' as const);
  const flag = pg ? ('smallint' as const) : ('integer' as const);
  return {
    /** A table with text id primary key. */
    table: (name: string) => db.schema.createTable(name),
    ms,
    flag,
    autoId: (t: Table, column: string): Table =>
      pg
        ? t.addColumn(column, 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : t.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement()),
  };
}

async function index(db: Db, name: string, table: string, columns: string[], unique = false): Promise<void> {
  let builder = db.schema.createIndex(name).on(table).columns(columns);
  if (unique) builder = builder.unique();
  await builder.execute();
}

export const initial: Migration = {
  async up(db: Db) {
    const { table, ms, flag, autoId } = builders(db);

    await table('organizations')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('name', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['active', 'disabled'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .execute();
    await index(db, 'organizations_created_at_id_idx', 'organizations', ['created_at', 'id']);

    await table('users')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', notNull)
      .addColumn('password_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['active', 'disabled'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .execute();

    await table('org_memberships')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull().check(checkIn('role', ['admin', 'developer'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .addPrimaryKeyConstraint('org_memberships_pkey', ['org_id', 'user_id'])
      .execute();
    await index(db, 'org_memberships_user_id_idx', 'org_memberships', ['user_id']);
    await index(db, 'org_memberships_org_id_created_at_idx', 'org_memberships', [
      'org_id',
      'created_at',
      'user_id',
    ]);

    await table('operators')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', notNull)
      .addColumn('password_hash', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['active', 'disabled'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .execute();

    await table('invitations')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('email', 'text', notNull)
      .addColumn('role', 'text', (c) => c.notNull().check(checkIn('role', ['admin', 'developer'])))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invited_by', 'text')
      .addColumn('expires_at', ms, notNull)
      .addColumn('accepted_at', ms)
      .addColumn('revoked_at', ms)
      .addColumn('created_at', ms, notNull)
      .execute();
    await index(db, 'invitations_org_id_created_at_idx', 'invitations', ['org_id', 'created_at', 'id']);

    await table('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('subject_type', 'text', (c) =>
        c.notNull().check(checkIn('subject_type', ['user', 'operator'])),
      )
      .addColumn('subject_id', 'text', notNull)
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('created_at', ms, notNull)
      .addColumn('last_seen_at', ms, notNull)
      .addColumn('expires_at', ms, notNull)
      .addColumn('revoked_at', ms)
      .execute();
    await index(db, 'sessions_subject_idx', 'sessions', ['subject_type', 'subject_id']);
    await index(db, 'sessions_expires_at_idx', 'sessions', ['expires_at']);

    await table('projects')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'text', notNull)
      .addColumn('description', 'text', notNull)
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .addUniqueConstraint('projects_org_id_name_key', ['org_id', 'name'])
      // Target of the credentials' (org_id, project_id) key: a credential's org is its project's org.
      .addUniqueConstraint('projects_org_id_id_key', ['org_id', 'id'])
      .execute();
    await index(db, 'projects_org_id_created_at_idx', 'projects', ['org_id', 'created_at', 'id']);

    await table('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('project_id', 'text', notNull)
      .addColumn('name', 'text', notNull)
      .addColumn('client_id', 'text', (c) => c.notNull().unique())
      .addColumn('technical_account_id', 'text', (c) => c.notNull().unique())
      .addColumn('technical_account_email', 'text', notNull)
      .addColumn('jwt_enabled', flag, (c) => c.notNull().check(checkIn('jwt_enabled', [0, 1])))
      .addColumn('oauth_enabled', flag, (c) => c.notNull().check(checkIn('oauth_enabled', [0, 1])))
      .addColumn('metascopes', 'text', notNull)
      .addColumn('scopes', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['active', 'disabled'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('updated_at', ms, notNull)
      .addForeignKeyConstraint(
        'credentials_project_fkey',
        ['org_id', 'project_id'],
        'projects',
        ['org_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addUniqueConstraint('credentials_project_id_name_key', ['project_id', 'name'])
      .addUniqueConstraint('credentials_org_id_id_key', ['org_id', 'id'])
      .execute();
    await index(db, 'credentials_org_id_created_at_idx', 'credentials', ['org_id', 'created_at', 'id']);
    await index(db, 'credentials_org_id_project_id_idx', 'credentials', ['org_id', 'project_id']);

    await table('client_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('org_id', 'text', notNull)
      .addColumn('credential_id', 'text', notNull)
      .addColumn('secret_hash', 'text', notNull)
      .addColumn('hint', 'text', notNull)
      .addColumn('created_at', ms, notNull)
      .addColumn('last_used_at', ms)
      .addForeignKeyConstraint(
        'client_secrets_credential_fkey',
        ['org_id', 'credential_id'],
        'credentials',
        ['org_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await index(db, 'client_secrets_credential_id_idx', 'client_secrets', ['credential_id']);

    await table('certificates')
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('org_id', 'text', notNull)
      .addColumn('credential_id', 'text', notNull)
      .addColumn('pem', 'text', notNull)
      .addColumn('fingerprint_sha256', 'text', notNull)
      .addColumn('not_before', ms, notNull)
      .addColumn('not_after', ms, notNull)
      .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['active', 'revoked'])))
      .addColumn('created_at', ms, notNull)
      .addColumn('revoked_at', ms)
      .addForeignKeyConstraint(
        'certificates_credential_fkey',
        ['org_id', 'credential_id'],
        'credentials',
        ['org_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addUniqueConstraint('certificates_credential_id_fingerprint_key', [
        'credential_id',
        'fingerprint_sha256',
      ])
      .execute();

    await table('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey().notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(checkIn('state', ['next', 'active', 'retired'])))
      .addColumn('algorithm', 'text', (c) => c.notNull().check(checkIn('algorithm', ['RS256'])))
      .addColumn('public_jwk', 'text', notNull)
      .addColumn('certificate_pem', 'text', notNull)
      .addColumn('encrypted_private_key', 'text', notNull)
      .addColumn('created_at', ms, notNull)
      .addColumn('activated_at', ms)
      .addColumn('retired_at', ms)
      .addColumn('remove_after', ms)
      .execute();
    await index(db, 'signing_keys_state_idx', 'signing_keys', ['state']);

    await table('used_assertions')
      .addColumn('key', 'text', (c) => c.primaryKey().notNull())
      .addColumn('client_id', 'text', notNull)
      .addColumn('expires_at', ms, notNull)
      .addColumn('token_claims', 'text')
      .addColumn('created_at', ms, notNull)
      .execute();
    await index(db, 'used_assertions_expires_at_idx', 'used_assertions', ['expires_at']);

    await autoId(table('revocations'), 'seq')
      .addColumn('kind', 'text', (c) => c.notNull().check(checkIn('kind', ['token', 'credential', 'org'])))
      .addColumn('subject', 'text', notNull)
      .addColumn('org_id', 'text')
      .addColumn('expires_at', ms, notNull)
      .addColumn('created_at', ms, notNull)
      .execute();
    await index(db, 'revocations_kind_subject_idx', 'revocations', ['kind', 'subject']);
    await index(db, 'revocations_expires_at_idx', 'revocations', ['expires_at']);

    await autoId(table('audit_events'), 'id')
      .addColumn('org_id', 'text')
      .addColumn('actor_type', 'text', (c) =>
        c.notNull().check(checkIn('actor_type', ['operator', 'user', 'client', 'system', 'anonymous'])),
      )
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', notNull)
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull().check(checkIn('outcome', ['success', 'failure'])))
      .addColumn('ip', 'text')
      .addColumn('request_id', 'text')
      .addColumn('details', 'text', notNull)
      .addColumn('created_at', ms, notNull)
      .execute();
    await index(db, 'audit_events_org_id_created_at_idx', 'audit_events', ['org_id', 'created_at']);
    await index(db, 'audit_events_org_id_id_idx', 'audit_events', ['org_id', 'id']);
    await index(db, 'audit_events_created_at_idx', 'audit_events', ['created_at']);
  },

  async down(db: Db) {
    // Children before parents, so foreign keys never block a drop.
    for (const name of [
      'audit_events',
      'revocations',
      'used_assertions',
      'signing_keys',
      'certificates',
      'client_secrets',
      'credentials',
      'projects',
      'sessions',
      'invitations',
      'operators',
      'org_memberships',
      'users',
      'organizations',
    ]) {
      await db.schema.dropTable(name).execute();
    }
  },
};
