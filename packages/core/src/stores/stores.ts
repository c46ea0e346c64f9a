/**
 * Store interfaces: SQL only, no rules. Every org-owned method takes `orgId` first; a row of another org is a miss
 * (`undefined`, or `false` for updates and deletes), never an error that reveals it exists.
 *
 * Errors are normalised (see `storage/storage-errors.ts`): `UniqueViolation` on a duplicate key,
 * `StorageUnavailable` when the database can't be reached. `NotFound` is thrown only by `get…` helpers; `find…`
 * returns `undefined`.
 *
 * A few lookups are global on purpose, because the caller's org is not known yet and is what the lookup establishes:
 * `findCredentialByClientId` (token endpoints), `findUserByEmail` / `findOperatorByEmail` (login),
 * `findInvitationByTokenHash` and `findSessionByTokenHash`.
 */
import type {
  AuditEvent,
  Certificate,
  ClientSecret,
  Credential,
  Invitation,
  Membership,
  Operator,
  Organization,
  Page,
  Project,
  Revocation,
  RevocationKind,
  Role,
  Session,
  SigningKey,
  SigningKeyState,
  User,
  UsedAssertion,
} from './records.js';

type New<T, Generated extends keyof T = never> = Omit<T, Generated>;

export interface ListOptions {
  limit?: number; // default 50, at most 500
  cursor?: string;
}

/**
 * How a bulk delete (pruning) runs: statements of at most `batchSize` rows each, chosen by primary key, with `pause`
 * awaited between two, until a statement deletes fewer than `batchSize`. Each statement holds the SQLite write lock
 * (and, SQLite being synchronous, the event loop) only briefly, whatever the backlog.
 */
export interface BatchOptions {
  /** Rows per statement, a positive integer; default 1000. */
  batchSize?: number;
  /** Awaited between two statements; default `setImmediate` of `node:timers/promises`, so waiting work runs. */
  pause?: () => Promise<void>;
}

export interface OrganizationStore {
  insertOrganization(org: New<Organization>): Promise<Organization>;
  findOrganizationById(orgId: string): Promise<Organization | undefined>;
  listOrganizations(options?: ListOptions & { status?: Organization['status'] }): Promise<Page<Organization>>;
  updateOrganizationById(
    orgId: string,
    patch: Partial<Pick<Organization, 'name' | 'status'>> & { updatedAt: number },
  ): Promise<Organization | undefined>;
}

export interface UserStore {
  insertUser(user: New<User>): Promise<User>;
  findUserById(userId: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  updateUserById(
    userId: string,
    patch: Partial<Pick<User, 'name' | 'passwordHash' | 'status'>> & { updatedAt: number },
  ): Promise<User | undefined>;
}

export interface MembershipStore {
  insertMembership(orgId: string, membership: Omit<Membership, 'orgId'>): Promise<Membership>;
  findMembership(orgId: string, userId: string): Promise<Membership | undefined>;
  listMemberships(orgId: string, options?: ListOptions & { role?: Role }): Promise<Page<Membership>>;
  listMembershipsOfUser(userId: string): Promise<Membership[]>;
  countAdmins(orgId: string): Promise<number>;
  /**
   * Inside a transaction: locks the org's admin memberships until it ends (`FOR UPDATE` on PostgreSQL; the database
   * write lock on SQLite), then returns the user ids of its admins whose account is active. Two transactions that both
   * call it first run one after the other, so "is this the last active admin?" holds until the change commits.
   */
  lockActiveAdmins(orgId: string): Promise<string[]>;
  updateMembershipRole(
    orgId: string,
    userId: string,
    role: Role,
    updatedAt: number,
  ): Promise<Membership | undefined>;
  deleteMembership(orgId: string, userId: string): Promise<boolean>;
}

export interface OperatorStore {
  insertOperator(operator: New<Operator>): Promise<Operator>;
  findOperatorById(operatorId: string): Promise<Operator | undefined>;
  findOperatorByEmail(email: string): Promise<Operator | undefined>;
  listOperators(): Promise<Operator[]>;
  updateOperatorById(
    operatorId: string,
    patch: Partial<Pick<Operator, 'name' | 'passwordHash' | 'status'>> & { updatedAt: number },
  ): Promise<Operator | undefined>;
}

export interface InvitationStore {
  insertInvitation(orgId: string, invitation: Omit<Invitation, 'orgId'>): Promise<Invitation>;
  findInvitationById(orgId: string, invitationId: string): Promise<Invitation | undefined>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  listInvitations(orgId: string, options?: ListOptions): Promise<Page<Invitation>>;
  /** Marks it accepted only if still open (not accepted, not revoked, not expired at `now`); false otherwise. */
  markInvitationAccepted(orgId: string, invitationId: string, now: number): Promise<boolean>;
  revokeInvitationById(orgId: string, invitationId: string, now: number): Promise<boolean>;
}

export interface SessionStore {
  insertSession(session: New<Session>): Promise<Session>;
  findSessionByTokenHash(tokenHash: string): Promise<Session | undefined>;
  listSessionsOfSubject(subjectType: Session['subjectType'], subjectId: string): Promise<Session[]>;
  touchSession(sessionId: string, lastSeenAt: number): Promise<void>;
  revokeSessionById(sessionId: string, now: number): Promise<boolean>;
  revokeSessionsOfSubject(
    subjectType: Session['subjectType'],
    subjectId: string,
    now: number,
  ): Promise<number>;
  /** Deletes sessions whose absolute end is at or before `now`, in batches; resolves to the number deleted. */
  deleteExpiredSessions(now: number, options?: BatchOptions): Promise<number>;
}

export interface ProjectStore {
  insertProject(orgId: string, project: Omit<Project, 'orgId'>): Promise<Project>;
  findProjectById(orgId: string, projectId: string): Promise<Project | undefined>;
  listProjects(orgId: string, options?: ListOptions): Promise<Page<Project>>;
  updateProjectById(
    orgId: string,
    projectId: string,
    patch: Partial<Pick<Project, 'name' | 'description'>> & { updatedAt: number },
  ): Promise<Project | undefined>;
  deleteProjectById(orgId: string, projectId: string): Promise<boolean>;
}

export interface CredentialStore {
  insertCredential(orgId: string, credential: Omit<Credential, 'orgId'>): Promise<Credential>;
  findCredentialById(orgId: string, credentialId: string): Promise<Credential | undefined>;
  /** Global: the token endpoints learn the org from the credential. */
  findCredentialByClientId(clientId: string): Promise<Credential | undefined>;
  listCredentials(orgId: string, options?: ListOptions & { projectId?: string }): Promise<Page<Credential>>;
  updateCredentialById(
    orgId: string,
    credentialId: string,
    patch: Partial<
      Pick<Credential, 'name' | 'jwtEnabled' | 'oauthEnabled' | 'metascopes' | 'scopes' | 'status'>
    > & { updatedAt: number },
  ): Promise<Credential | undefined>;
  deleteCredentialById(orgId: string, credentialId: string): Promise<boolean>;
}

export interface ClientSecretStore {
  insertClientSecret(orgId: string, secret: Omit<ClientSecret, 'orgId'>): Promise<ClientSecret>;
  listClientSecrets(orgId: string, credentialId: string): Promise<ClientSecret[]>;
  touchClientSecret(orgId: string, secretId: string, lastUsedAt: number): Promise<void>;
  deleteClientSecretById(orgId: string, secretId: string): Promise<boolean>;
}

export interface CertificateStore {
  insertCertificate(orgId: string, certificate: Omit<Certificate, 'orgId'>): Promise<Certificate>;
  findCertificateById(orgId: string, certificateId: string): Promise<Certificate | undefined>;
  listCertificates(
    orgId: string,
    credentialId: string,
    options?: { status?: Certificate['status'] },
  ): Promise<Certificate[]>;
  revokeCertificateById(orgId: string, certificateId: string, now: number): Promise<boolean>;
}

export interface SigningKeyStore {
  insertSigningKey(key: SigningKey): Promise<SigningKey>;
  findSigningKeyByKid(kid: string): Promise<SigningKey | undefined>;
  listSigningKeys(options?: { states?: SigningKeyState[] }): Promise<SigningKey[]>;
  updateSigningKey(
    kid: string,
    patch: Partial<Pick<SigningKey, 'state' | 'activatedAt' | 'retiredAt' | 'removeAfter'>>,
  ): Promise<SigningKey | undefined>;
  deleteSigningKeyByKid(kid: string): Promise<boolean>;
}

export interface UsedAssertionStore {
  /** Atomic insert; false (not an error) when the key is already there and not yet expired. */
  insertUsedAssertion(assertion: UsedAssertion): Promise<boolean>;
  findUsedAssertion(key: string, now: number): Promise<UsedAssertion | undefined>;
  /** Deletes assertions expired at `now` (`expires_at <= now`), in batches; resolves to the number deleted. */
  deleteExpiredAssertions(now: number, options?: BatchOptions): Promise<number>;
}

export interface RevocationStore {
  insertRevocation(revocation: Omit<Revocation, 'seq'>): Promise<Revocation>;
  /** Revocations with `seq > since`, oldest first, at most `limit`, not yet expired at `now`. */
  listRevocationsSince(since: number, now: number, limit?: number): Promise<Revocation[]>;
  isRevoked(kind: RevocationKind, subject: string, now: number): Promise<boolean>;
  /** Deletes revocations expired at `now` (`expires_at <= now`), in batches; resolves to the number deleted. */
  deleteExpiredRevocations(now: number, options?: BatchOptions): Promise<number>;
}

export interface AuditFilter extends ListOptions {
  action?: string;
  actorId?: string;
  targetId?: string;
  outcome?: AuditEvent['outcome'];
  from?: number;
  to?: number;
}

export interface AuditEventStore {
  insertAuditEvent(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  /** Newest first. `orgId` null lists all orgs' events (operators only; the service decides). */
  listAuditEvents(orgId: string | null, filter?: AuditFilter): Promise<Page<AuditEvent>>;
  /** Deletes every org's events created before `before` (`created_at < before`), in batches; resolves to the count. */
  deleteAuditEventsBefore(before: number, options?: BatchOptions): Promise<number>;
}

/** Every store, over one connection or one transaction. */
export interface Stores {
  organizations: OrganizationStore;
  users: UserStore;
  memberships: MembershipStore;
  operators: OperatorStore;
  invitations: InvitationStore;
  sessions: SessionStore;
  projects: ProjectStore;
  credentials: CredentialStore;
  clientSecrets: ClientSecretStore;
  certificates: CertificateStore;
  signingKeys: SigningKeyStore;
  usedAssertions: UsedAssertionStore;
  revocations: RevocationStore;
  auditEvents: AuditEventStore;
}

/** Stores plus transactions: everything inside `fn` commits together or not at all. */
export interface Storage extends Stores {
  readonly dialect: 'sqlite' | 'postgres';
  transaction<T>(fn: (stores: Stores) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks; throws `StorageUnavailable`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
