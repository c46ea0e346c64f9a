/**
 * Demo data of the sandbox (`pims start`, first run): an org `Demo Distributor`, its admin user (no password yet),
 * a project and a credential with JWT and OAuth server-to-server enabled — metascope `ent_partners_sdk`, scopes
 * `openid,AdobeID,ent_partners_sdk` — with a generated RSA-2048 key pair, its self-signed certificate attached, and a
 * client secret. Writes `<dataDir>/demo/workspace.json` (the console download, with the secret) and
 * `<dataDir>/demo/private.key` (mode 0600).
 *
 * Idempotent: when the demo org exists and both files are there, nothing changes. When the org exists but the files
 * are gone (their secret and key can't be recovered), a fresh credential is added to the demo project and the files
 * are written again; there is never a second demo org.
 *
 * `profile` seeds the same shape under other names (tests that need a second org, e.g. the two-org harness); files go
 * to `<dataDir>/demo/` as always, so give each profile its own `dataDir`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METASCOPE_PARTNERS_SDK } from '@pims/contracts';
import type { IdGenerator } from '../../ids.js';
import type { Credential, Organization, Project } from '../../stores/records.js';
import type { Storage, Stores } from '../../stores/stores.js';
import { insertCertificate, insertSecret } from '../clients/credential-rows.js';
import type { CertificateMaterial } from '../console/certificate-upload.js';
import type { Clock } from '../ims-settings.js';
import { generateClientKeyPair } from './client-certificate.js';
import { buildWorkspaceFile } from './workspace-file.js';

export const DEMO_ORG_NAME = 'Demo Distributor';
export const DEMO_ADMIN_EMAIL = 'admin@demo-distributor.example';
export const DEMO_PROJECT_NAME = 'Demo Project';
export const DEMO_CREDENTIAL_NAME = 'Demo Credential';
export const DEMO_SCOPES: readonly string[] = Object.freeze(['openid', 'AdobeID', METASCOPE_PARTNERS_SDK]);
export const DEMO_METASCOPES: readonly string[] = Object.freeze([METASCOPE_PARTNERS_SDK]);

/** The names that identify a seeded org: the demo's by default. */
export interface DemoProfile {
  orgName: string;
  adminEmail: string;
}

const DEMO_PROFILE: Readonly<DemoProfile> = Object.freeze({
  orgName: DEMO_ORG_NAME,
  adminEmail: DEMO_ADMIN_EMAIL,
});

export interface EnsureDemoDeps {
  storage: Pick<Storage, 'transaction' | 'organizations' | 'projects' | 'users'>;
  dataDir: string;
  ids: IdGenerator;
  clock: Clock;
  /** Keyed hash of a client secret, as stored (`keyedHash` of the crypto module). */
  hashSecret(secret: string): string;
  /** Default: the demo org's name and admin. */
  profile?: DemoProfile;
}

export interface DemoResult {
  created: 'nothing' | 'org' | 'credential';
  orgId: string;
  clientId: string;
  workspaceFile: string;
  privateKeyFile: string;
}

/** A client secret as the console issues them: `p8e-` and 32 random bytes, base64url (256 bits). */
export function generateClientSecret(): string {
  return `p8e-${randomBytes(32).toString('base64url')}`;
}

async function findDemoOrg(
  storage: EnsureDemoDeps['storage'],
  orgName: string,
): Promise<Organization | undefined> {
  let cursor: string | undefined;
  do {
    const page = await storage.organizations.listOrganizations({ limit: 500, ...(cursor ? { cursor } : {}) });
    const found = page.items.find((org) => org.name === orgName);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return undefined;
}

async function readExistingFiles(dir: string): Promise<{ orgId: unknown; clientId: unknown } | undefined> {
  try {
    const [workspace] = await Promise.all([
      readFile(join(dir, 'workspace.json'), 'utf8'),
      readFile(join(dir, 'private.key')),
    ]);
    const json = JSON.parse(workspace) as {
      project?: {
        org?: { ims_org_id?: unknown };
        workspace?: { details?: { credentials?: Array<{ jwt?: { client_id?: unknown } }> } };
      };
    };
    return {
      orgId: json.project?.org?.ims_org_id,
      clientId: json.project?.workspace?.details?.credentials?.[0]?.jwt?.client_id,
    };
  } catch {
    return undefined;
  }
}

async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

async function insertDemoCredential(
  stores: Stores,
  deps: EnsureDemoDeps,
  org: Organization,
  project: Project,
  material: CertificateMaterial,
  secret: string,
): Promise<Credential> {
  const now = deps.clock.now();
  const credential = await stores.credentials.insertCredential(org.id, {
    id: deps.ids.uuid(),
    projectId: project.id,
    name: DEMO_CREDENTIAL_NAME,
    clientId: deps.ids.clientId(),
    technicalAccountId: deps.ids.technicalAccountId(),
    technicalAccountEmail: deps.ids.technicalAccountEmail(),
    jwtEnabled: true,
    oauthEnabled: true,
    metascopes: [...DEMO_METASCOPES],
    scopes: [...DEMO_SCOPES],
    status: 'active',
    createdAt: now,
    updatedAt: now,
  });
  const rowDeps = {
    ids: deps.ids,
    clock: { now: () => now },
    hashToken: (value: string) => deps.hashSecret(value),
  };
  await insertSecret(rowDeps, stores, credential, secret);
  await insertCertificate(rowDeps, stores, credential, material);
  return credential;
}

export async function ensureDemo(deps: EnsureDemoDeps): Promise<DemoResult> {
  const dir = join(deps.dataDir, 'demo');
  const workspaceFile = join(dir, 'workspace.json');
  const privateKeyFile = join(dir, 'private.key');
  const profile = deps.profile ?? DEMO_PROFILE;
  const existingOrg = await findDemoOrg(deps.storage, profile.orgName);
  const files = await readExistingFiles(dir);
  if (existingOrg && files?.orgId === existingOrg.id && typeof files.clientId === 'string') {
    return {
      created: 'nothing',
      orgId: existingOrg.id,
      clientId: files.clientId,
      workspaceFile,
      privateKeyFile,
    };
  }

  const now = deps.clock.now();
  const material = await generateClientKeyPair({ commonName: DEMO_CREDENTIAL_NAME, now });
  const secret = generateClientSecret();
  const { org, project, credential } = await deps.storage.transaction(async (stores) => {
    const org =
      existingOrg ??
      (await stores.organizations.insertOrganization({
        id: deps.ids.orgId(),
        name: profile.orgName,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      }));
    if (!existingOrg) {
      const admin = await stores.users.insertUser({
        id: deps.ids.uuid(),
        email: profile.adminEmail,
        name: 'Demo Admin',
        passwordHash: null,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await stores.memberships.insertMembership(org.id, {
        userId: admin.id,
        role: 'admin',
        createdAt: now,
        updatedAt: now,
      });
    }
    const projects = existingOrg ? (await stores.projects.listProjects(org.id, { limit: 500 })).items : [];
    const project =
      projects.find((p) => p.name === DEMO_PROJECT_NAME) ??
      (await stores.projects.insertProject(org.id, {
        id: deps.ids.uuid(),
        name: DEMO_PROJECT_NAME,
        description: 'Created by `pims start` for trying the sandbox.',
        createdAt: now,
        updatedAt: now,
      }));
    const credential = await insertDemoCredential(stores, deps, org, project, material, secret);
    return { org, project, credential };
  });

  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(privateKeyFile, material.privateKeyPem, 0o600);
  const workspace = buildWorkspaceFile({ org, project, credential, clientSecrets: [secret] });
  await writeFileAtomic(workspaceFile, `${JSON.stringify(workspace, null, 2)}\n`, 0o600);
  return {
    created: existingOrg ? 'credential' : 'org',
    orgId: org.id,
    clientId: credential.clientId,
    workspaceFile,
    privateKeyFile,
  };
}
