/**
 * Credentials of the Developer Console (DESIGN §3.5): a JWT service account and/or OAuth server-to-server, metascope
 * `ent_partners_sdk`. Creation writes credential + first client secret + certificate + audit row in one transaction
 * (SECURITY R-2). The client secret, and a generated private key, are returned once and never stored in the clear.
 * Disabling or deleting revokes the credential's tokens through the revocation service.
 */
import { pimsError, type CertificateInput } from '@pims/contracts';
import type { Credential, Page } from '../../stores/records.js';
import type { ListOptions } from '../../stores/stores.js';
import { generateClientKeyPair } from '../demo/client-certificate.js';
import { DEMO_METASCOPES, DEMO_SCOPES, generateClientSecret } from '../demo/ensure-demo.js';
import { buildWorkspaceFile } from '../demo/workspace-file.js';
import { MEMBERS, requireCredentialWriter, requireOrgRole } from './access.js';
import { recordChange } from './audit-trail.js';
import { insertCertificate, insertSecret } from '../clients/credential-rows.js';
import { checkUploadedCertificate, type CertificateMaterial } from './certificate-upload.js';
import { isUniqueViolation } from './conflicts.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';
import { credentialDetail, findCredentialOr404, type CredentialDetail } from './credential-views.js';

export interface CreateCredentialInput {
  projectId: string;
  name: string;
  jwt: boolean;
  oauth: boolean;
  certificate?: CertificateInput | undefined;
}

export interface CreatedCredential {
  credential: CredentialDetail;
  clientSecret: string;
  privateKey?: string;
  /** The workspace JSON with the new secret in it: the one download that holds it. */
  workspace: Record<string, unknown>;
}

/** A certificate to attach: checked upload, or a generated key pair whose private key goes back once. */
export async function certificateMaterial(
  deps: Pick<ConsoleDeps, 'clock'>,
  input: CertificateInput,
  commonName: string,
): Promise<CertificateMaterial & { privateKeyPem?: string }> {
  if ('pem' in input) return checkUploadedCertificate(input.pem, deps.clock.now());
  return generateClientKeyPair({ commonName, now: deps.clock.now() });
}

const nameTaken = () =>
  pimsError('console.conflict', { details: [{ field: 'name', message: 'is already used in this project' }] });

export async function createCredential(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  input: CreateCredentialInput,
): Promise<CreatedCredential> {
  const { org } = await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const project = await deps.storage.projects.findProjectById(orgId, input.projectId);
  if (!project) throw pimsError('console.not_found');
  const material = input.certificate && (await certificateMaterial(deps, input.certificate, input.name));
  const clientSecret = generateClientSecret();
  const now = deps.clock.now();
  try {
    const credential = await deps.storage.transaction(async (stores) => {
      const credential = await stores.credentials.insertCredential(orgId, {
        id: deps.ids.uuid(),
        projectId: project.id,
        name: input.name,
        clientId: deps.ids.clientId(),
        technicalAccountId: deps.ids.technicalAccountId(),
        technicalAccountEmail: deps.ids.technicalAccountEmail(),
        jwtEnabled: input.jwt,
        oauthEnabled: input.oauth,
        metascopes: [...DEMO_METASCOPES],
        scopes: [...DEMO_SCOPES],
        status: 'active',
        createdAt: now,
        updatedAt: now,
      });
      await insertSecret(deps, stores, credential, clientSecret);
      if (material) await insertCertificate(deps, stores, credential, material);
      await recordChange(deps, stores, ctx, {
        orgId,
        action: 'credential.created',
        targetType: 'credential',
        targetId: credential.id,
        details: {
          clientId: credential.clientId,
          jwt: input.jwt,
          oauth: input.oauth,
          certificate: material !== undefined,
        },
      });
      return credentialDetail(stores, credential);
    });
    return {
      credential,
      clientSecret,
      ...(material?.privateKeyPem ? { privateKey: material.privateKeyPem } : {}),
      workspace: buildWorkspaceFile({ org, project, credential, clientSecrets: [clientSecret] }),
    };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function listCredentials(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  options: ListOptions & { projectId?: string | undefined },
): Promise<Page<Credential>> {
  await requireOrgRole(deps.storage, ctx, orgId, MEMBERS);
  const { projectId, ...rest } = options;
  return deps.storage.credentials.listCredentials(
    orgId,
    projectId === undefined ? rest : { ...rest, projectId },
  );
}

export async function getCredential(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
): Promise<CredentialDetail> {
  await requireOrgRole(deps.storage, ctx, orgId, MEMBERS);
  return credentialDetail(deps.storage, await findCredentialOr404(deps.storage, orgId, credentialId));
}

export async function updateCredential(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
  patch: { name?: string | undefined; oauth?: true | undefined },
): Promise<CredentialDetail> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  try {
    const detail = await deps.storage.transaction(async (stores) => {
      const credential = await stores.credentials.updateCredentialById(orgId, credentialId, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.oauth ? { oauthEnabled: true } : {}),
        updatedAt: deps.clock.now(),
      });
      if (!credential) throw pimsError('console.not_found');
      await recordChange(deps, stores, ctx, {
        orgId,
        action: patch.oauth ? 'credential.oauth_enabled' : 'credential.updated',
        targetType: 'credential',
        targetId: credentialId,
        details: { fields: Object.keys(patch) },
      });
      return credentialDetail(stores, credential);
    });
    deps.revoker.invalidateClient(detail.clientId);
    return detail;
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function setCredentialStatus(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
  status: Credential['status'],
): Promise<CredentialDetail> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const detail = await deps.storage.transaction(async (stores) => {
    const credential = await stores.credentials.updateCredentialById(orgId, credentialId, {
      status,
      updatedAt: deps.clock.now(),
    });
    if (!credential) throw pimsError('console.not_found');
    await recordChange(deps, stores, ctx, {
      orgId,
      action: status === 'disabled' ? 'credential.disabled' : 'credential.enabled',
      targetType: 'credential',
      targetId: credentialId,
    });
    return credentialDetail(stores, credential);
  });
  if (status === 'disabled') await deps.revoker.revokeCredential(detail);
  else deps.revoker.invalidateClient(detail.clientId);
  return detail;
}

export async function deleteCredential(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
): Promise<void> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const credential = await deps.storage.transaction(async (stores) => {
    const credential = await findCredentialOr404(stores, orgId, credentialId);
    await stores.credentials.deleteCredentialById(orgId, credentialId);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'credential.deleted',
      targetType: 'credential',
      targetId: credentialId,
      details: { clientId: credential.clientId },
    });
    return credential;
  });
  await deps.revoker.revokeCredential(credential);
}

/** The workspace JSON download (the format `ensureDemo` writes). Secrets are stored hashed, so none is in it. */
export async function credentialWorkspace(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
): Promise<Record<string, unknown>> {
  const { org } = await requireOrgRole(deps.storage, ctx, orgId, MEMBERS);
  const credential = await findCredentialOr404(deps.storage, orgId, credentialId);
  const project = await deps.storage.projects.findProjectById(orgId, credential.projectId);
  if (!project) throw pimsError('console.not_found');
  return buildWorkspaceFile({ org, project, credential, clientSecrets: [] });
}
