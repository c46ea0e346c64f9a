/** Domain records as the stores return them: camelCase, parsed JSON, booleans, millisecond timestamps. */

export type OrgStatus = 'active' | 'disabled';
export type Role = 'admin' | 'developer';

export interface Organization {
  id: string;
  name: string;
  status: OrgStatus;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  status: 'active' | 'disabled';
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  orgId: string;
  userId: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
}

export interface Operator {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  status: 'active' | 'disabled';
  createdAt: number;
  updatedAt: number;
}

export interface Invitation {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  tokenHash: string;
  invitedBy: string | null;
  expiresAt: number;
  acceptedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface Session {
  id: string;
  tokenHash: string;
  subjectType: 'user' | 'operator';
  subjectId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface Credential {
  id: string;
  orgId: string;
  projectId: string;
  name: string;
  clientId: string;
  technicalAccountId: string;
  technicalAccountEmail: string;
  jwtEnabled: boolean;
  oauthEnabled: boolean;
  metascopes: string[];
  scopes: string[];
  status: 'active' | 'disabled';
  createdAt: number;
  updatedAt: number;
}

export interface ClientSecret {
  id: string;
  orgId: string;
  credentialId: string;
  secretHash: string;
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface Certificate {
  id: string;
  orgId: string;
  credentialId: string;
  pem: string;
  fingerprintSha256: string;
  notBefore: number;
  notAfter: number;
  status: 'active' | 'revoked';
  createdAt: number;
  revokedAt: number | null;
}

export type SigningKeyState = 'next' | 'active' | 'retired';

export interface SigningKey {
  kid: string;
  state: SigningKeyState;
  algorithm: 'RS256';
  publicJwk: Record<string, unknown>;
  certificatePem: string;
  encryptedPrivateKey: string;
  createdAt: number;
  activatedAt: number | null;
  retiredAt: number | null;
  removeAfter: number | null;
}

export interface UsedAssertion {
  key: string;
  clientId: string;
  expiresAt: number;
  tokenClaims: Record<string, unknown> | null;
  createdAt: number;
}

export type RevocationKind = 'token' | 'credential' | 'org';

export interface Revocation {
  seq: number;
  kind: RevocationKind;
  subject: string;
  orgId: string | null;
  expiresAt: number;
  createdAt: number;
}

export type ActorType = 'operator' | 'user' | 'client' | 'system' | 'anonymous';

export interface AuditEvent {
  id: number;
  orgId: string | null;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

/** A page of results with an opaque cursor for the next page (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
