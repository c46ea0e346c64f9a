/** Record builders for the store contract: unique ids every call, fixed timestamps unless overridden. */
import { createIdGenerator } from '@pims/core';
import type {
  AuditEvent,
  Certificate,
  ClientSecret,
  Credential,
  Invitation,
  Organization,
  Project,
  Session,
  SigningKey,
  Storage,
  Stores,
  User,
} from '@pims/core';

export const ids = createIdGenerator();
export const T0 = 1_700_000_000_000;

export function orgRecord(overrides: Partial<Organization> = {}): Organization {
  return { id: ids.orgId(), name: 'Acme', status: 'active', createdAt: T0, updatedAt: T0, ...overrides };
}

export function userRecord(overrides: Partial<User> = {}): User {
  const id = ids.uuid();
  return {
    id,
    email: `user-${id}@example.test`,
    name: 'Ada',
    passwordHash: null,
    status: 'active',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function projectRecord(overrides: Partial<Omit<Project, 'orgId'>> = {}): Omit<Project, 'orgId'> {
  return { id: ids.uuid(), name: 'Storefront', description: 'd', createdAt: T0, updatedAt: T0, ...overrides };
}

export function credentialRecord(
  projectId: string,
  overrides: Partial<Omit<Credential, 'orgId'>> = {},
): Omit<Credential, 'orgId'> {
  return {
    id: ids.uuid(),
    projectId,
    name: 'Service account',
    clientId: ids.clientId(),
    technicalAccountId: ids.technicalAccountId(),
    technicalAccountEmail: ids.technicalAccountEmail(),
    jwtEnabled: true,
    oauthEnabled: false,
    metascopes: ['ent_partners_sdk'],
    scopes: ['openid', 'AdobeID'],
    status: 'active',
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function secretRecord(
  credentialId: string,
  overrides: Partial<Omit<ClientSecret, 'orgId'>> = {},
): Omit<ClientSecret, 'orgId'> {
  return {
    id: ids.uuid(),
    credentialId,
    secretHash: `hash-${ids.uuid()}`,
    hint: 'abcd',
    createdAt: T0,
    lastUsedAt: null,
    ...overrides,
  };
}

export function certificateRecord(
  credentialId: string,
  overrides: Partial<Omit<Certificate, 'orgId'>> = {},
): Omit<Certificate, 'orgId'> {
  return {
    id: ids.uuid(),
    credentialId,
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    fingerprintSha256: ids.clientId() + ids.clientId(),
    notBefore: T0,
    notAfter: T0 + 365 * 86_400_000,
    status: 'active',
    createdAt: T0,
    revokedAt: null,
    ...overrides,
  };
}

export function invitationRecord(
  overrides: Partial<Omit<Invitation, 'orgId'>> = {},
): Omit<Invitation, 'orgId'> {
  const id = ids.uuid();
  return {
    id,
    email: `invitee-${id}@example.test`,
    role: 'developer',
    tokenHash: `token-${id}`,
    invitedBy: null,
    expiresAt: T0 + 86_400_000,
    acceptedAt: null,
    revokedAt: null,
    createdAt: T0,
    ...overrides,
  };
}

export function sessionRecord(overrides: Partial<Session> = {}): Session {
  const id = ids.uuid();
  return {
    id,
    tokenHash: `session-${id}`,
    subjectType: 'user',
    subjectId: ids.uuid(),
    ip: '127.0.0.1',
    userAgent: 'test',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + 3_600_000,
    revokedAt: null,
    ...overrides,
  };
}

export function signingKeyRecord(overrides: Partial<SigningKey> = {}): SigningKey {
  const kid = ids.uuid();
  return {
    kid,
    state: 'next',
    algorithm: 'RS256',
    publicJwk: { kty: 'RSA', kid, n: 'AQAB', e: 'AQAB' },
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    encryptedPrivateKey: 'v1.iv.tag.ciphertext',
    createdAt: T0,
    activatedAt: null,
    retiredAt: null,
    removeAfter: null,
    ...overrides,
  };
}

export function auditRecord(overrides: Partial<Omit<AuditEvent, 'id'>> = {}): Omit<AuditEvent, 'id'> {
  return {
    orgId: null,
    actorType: 'system',
    actorId: null,
    action: 'token.issued',
    targetType: 'credential',
    targetId: null,
    outcome: 'success',
    ip: null,
    requestId: null,
    details: { grant: 'jwt', n: 1 },
    createdAt: T0,
    ...overrides,
  };
}

/** An org with one project and one credential in it. */
export async function seedOrg(stores: Stores | Storage, orgName = 'Acme') {
  const org = await stores.organizations.insertOrganization(orgRecord({ name: orgName }));
  const project = await stores.projects.insertProject(org.id, projectRecord());
  const credential = await stores.credentials.insertCredential(org.id, credentialRecord(project.id));
  return { org, project, credential };
}

/** Awaits every promise and returns how many fulfilled and the rejection reasons. */
export async function settleAll<T>(promises: Promise<T>[]) {
  const results = await Promise.allSettled(promises);
  const fulfilled = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled');
  const rejected = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason as unknown);
  return { fulfilled: fulfilled.map((r) => r.value), rejected };
}
