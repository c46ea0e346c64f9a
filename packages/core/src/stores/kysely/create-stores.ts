/** Every Kysely store over one `Kysely` (a connection pool or one transaction), each guarded by error normalisation. */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { normaliseStorageError } from '../../storage/storage-errors.js';
import type { Stores } from '../stores.js';
import { createAuditEventStore } from './audit-event-store.js';
import { createCertificateStore } from './certificate-store.js';
import { createClientSecretStore } from './client-secret-store.js';
import { createCredentialStore } from './credential-store.js';
import { createInvitationStore } from './invitation-store.js';
import { createMembershipStore } from './membership-store.js';
import { createOperatorStore } from './operator-store.js';
import { createOrganizationStore } from './organization-store.js';
import { createProjectStore } from './project-store.js';
import { createRevocationStore } from './revocation-store.js';
import { createSessionStore } from './session-store.js';
import { createSigningKeyStore } from './signing-key-store.js';
import { createUsedAssertionStore } from './used-assertion-store.js';
import { directCommit, type GroupCommit } from './group-commit.js';
import { createUserStore } from './user-store.js';

type AsyncMethods = Record<string, (...args: never[]) => Promise<unknown>>;

/** Wraps every method so driver errors leave as `UniqueViolation`, `StorageUnavailable`, …. */
export function guardStore<T extends object>(store: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store as AsyncMethods)) {
    guarded[name] = async (...args: never[]) => {
      try {
        return await method(...args);
      } catch (err) {
        throw normaliseStorageError(err);
      }
    };
  }
  return guarded as T;
}

/**
 * `commit` decides how the hot small writes (replay claims, audit rows) are committed: `createSqliteGroupCommit` shares one
 * transaction per event-loop turn (SQLite); the default writes each on its own (PostgreSQL, and inside a transaction,
 * where a batch of its own could never get the connection the transaction holds).
 */
export function createStores(db: Kysely<Database>, commit: GroupCommit = directCommit(db)): Stores {
  return {
    organizations: guardStore(createOrganizationStore(db)),
    users: guardStore(createUserStore(db)),
    memberships: guardStore(createMembershipStore(db)),
    operators: guardStore(createOperatorStore(db)),
    invitations: guardStore(createInvitationStore(db)),
    sessions: guardStore(createSessionStore(db)),
    projects: guardStore(createProjectStore(db)),
    credentials: guardStore(createCredentialStore(db)),
    clientSecrets: guardStore(createClientSecretStore(db)),
    certificates: guardStore(createCertificateStore(db)),
    signingKeys: guardStore(createSigningKeyStore(db)),
    usedAssertions: guardStore(createUsedAssertionStore(db, commit)),
    revocations: guardStore(createRevocationStore(db)),
    auditEvents: guardStore(createAuditEventStore(db, commit)),
  };
}
