/**
 * The database schema as Kysely sees it: one interface per table, snake_case columns.
 *
 * Conventions (both dialects):
 * - timestamps are integer milliseconds since the epoch (`bigint` in PostgreSQL, read back as `number`);
 * - booleans are integers 0/1 (SQLite has no boolean type);
 * - JSON values are stored as text and parsed by the store that owns them;
 * - every org-owned table has `org_id`.
 */
import type { ColumnType, Generated } from 'kysely';

/** Integer milliseconds since the epoch. */
export type Millis = number;
/** 0 or 1. */
export type Flag = number;

export interface OrganizationsTable {
  id: string; // `…@AdobeOrg`-style
  name: string;
  status: 'active' | 'disabled';
  created_at: Millis;
  updated_at: Millis;
}

export interface UsersTable {
  id: string;
  email: string; // lower-cased, unique
  name: string;
  password_hash: string | null; // null until an invitation is accepted
  status: 'active' | 'disabled';
  created_at: Millis;
  updated_at: Millis;
}

export interface OrgMembershipsTable {
  org_id: string;
  user_id: string;
  role: 'admin' | 'developer';
  created_at: Millis;
  updated_at: Millis;
}

export interface OperatorsTable {
  id: string;
  email: string; // lower-cased, unique
  name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  created_at: Millis;
  updated_at: Millis;
}

export interface InvitationsTable {
  id: string;
  org_id: string;
  email: string;
  role: 'admin' | 'developer';
  token_hash: string; // keyed hash of the single-use token, unique
  invited_by: string | null; // user or operator id
  expires_at: Millis;
  accepted_at: Millis | null;
  revoked_at: Millis | null;
  created_at: Millis;
}

export interface SessionsTable {
  id: string;
  token_hash: string; // keyed hash of the cookie value, unique
  subject_type: 'user' | 'operator';
  subject_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis; // absolute timeout
  revoked_at: Millis | null;
}

export interface ProjectsTable {
  id: string;
  org_id: string;
  name: string; // unique per org
  description: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface CredentialsTable {
  id: string;
  org_id: string;
  project_id: string;
  name: string; // unique per project
  client_id: string; // 32 hex, unique
  technical_account_id: string; // `…@techacct.adobe.com`-style, unique
  technical_account_email: string;
  jwt_enabled: Flag;
  oauth_enabled: Flag;
  metascopes: string; // JSON array of metascope names (JWT exchange)
  scopes: string; // JSON array of scope names (OAuth server-to-server)
  status: 'active' | 'disabled';
  created_at: Millis;
  updated_at: Millis;
}

export interface ClientSecretsTable {
  id: string;
  org_id: string;
  credential_id: string;
  secret_hash: string; // keyed hash (HMAC-SHA-256 with the server's secret key), never the secret
  hint: string; // last 4 characters, for the console
  created_at: Millis;
  last_used_at: Millis | null;
}

export interface CertificatesTable {
  id: string;
  org_id: string;
  credential_id: string;
  pem: string;
  fingerprint_sha256: string; // hex, unique per credential
  not_before: Millis;
  not_after: Millis;
  status: 'active' | 'revoked';
  created_at: Millis;
  revoked_at: Millis | null;
}

export interface SigningKeysTable {
  kid: string;
  state: 'next' | 'active' | 'retired';
  algorithm: 'RS256';
  public_jwk: string; // JSON
  certificate_pem: string;
  encrypted_private_key: string; // AES-256-GCM envelope under the key-encryption key
  created_at: Millis;
  activated_at: Millis | null;
  retired_at: Millis | null;
  /** When retired: the moment the last token it signed expires; after it the key may be removed. */
  remove_after: Millis | null;
}

export interface UsedAssertionsTable {
  /** `jti:{client_id}:{jti}` or `sha256:{hash of the whole assertion}` when the assertion has no jti. */
  key: string;
  client_id: string;
  expires_at: Millis;
  /** For assertions without a jti: the issued token's claims (JSON), so the same token is returned again (EX-7). */
  token_claims: string | null;
  created_at: Millis;
}

export interface RevocationsTable {
  seq: Generated<number>; // the feed cursor
  kind: 'token' | 'credential' | 'org';
  /** jti for `token`, client id for `credential`, org id for `org`. */
  subject: string;
  org_id: string | null;
  /** The revocation can be forgotten after this (the longest-lived token it affects has expired). */
  expires_at: Millis;
  created_at: Millis;
}

export interface AuditEventsTable {
  id: Generated<number>;
  org_id: string | null;
  actor_type: 'operator' | 'user' | 'client' | 'system' | 'anonymous';
  actor_id: string | null;
  action: string; // e.g. `token.issued`, `credential.secret_rotated`
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  request_id: string | null;
  details: string; // JSON object; never secrets or whole tokens
  created_at: Millis;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  org_memberships: OrgMembershipsTable;
  operators: OperatorsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  projects: ProjectsTable;
  credentials: CredentialsTable;
  client_secrets: ClientSecretsTable;
  certificates: CertificatesTable;
  signing_keys: SigningKeysTable;
  used_assertions: UsedAssertionsTable;
  revocations: RevocationsTable;
  audit_events: AuditEventsTable;
}

/** Used where a column is written as one type and read as another. */
export type { ColumnType };
