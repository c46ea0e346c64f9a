/**
 * Client secrets (at most 2: add a second to rotate, then delete the old one; the last one can't be deleted) and
 * certificates (at most 3 active; revoke one) of a credential. A new secret is shown once; only its keyed hash is kept.
 */
import { pimsError, type CertificateInput } from '@pims/contracts';
import { generateClientSecret } from '../demo/ensure-demo.js';
import { requireCredentialWriter } from './access.js';
import { recordChange } from './audit-trail.js';
import { isUniqueViolation } from './conflicts.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';
import {
  certificateView,
  findCredentialOr404,
  secretView,
  type CertificateView,
  type SecretView,
} from './credential-views.js';
import { insertCertificate, insertSecret } from '../clients/credential-rows.js';
import { certificateMaterial } from './credentials.js';

export const MAX_CLIENT_SECRETS = 2;
export const MAX_ACTIVE_CERTIFICATES = 3;

const limit = (field: string, message: string) =>
  pimsError('console.conflict', { details: [{ field, message }] });

export async function addClientSecret(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
): Promise<{ secret: SecretView; clientSecret: string }> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const clientSecret = generateClientSecret();
  const result = await deps.storage.transaction(async (stores) => {
    const credential = await findCredentialOr404(stores, orgId, credentialId);
    const existing = await stores.clientSecrets.listClientSecrets(orgId, credentialId);
    if (existing.length >= MAX_CLIENT_SECRETS)
      throw limit('secrets', `at most ${MAX_CLIENT_SECRETS}: delete one first`);
    const secret = await insertSecret(deps, stores, credential, clientSecret);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'credential.secret_added',
      targetType: 'credential',
      targetId: credentialId,
      details: { secretId: secret.id, hint: secret.hint },
    });
    return { secret: secretView(secret), clientId: credential.clientId };
  });
  deps.revoker.invalidateClient(result.clientId);
  return { secret: result.secret, clientSecret };
}

export async function deleteClientSecret(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
  secretId: string,
): Promise<void> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const clientId = await deps.storage.transaction(async (stores) => {
    const credential = await findCredentialOr404(stores, orgId, credentialId);
    const existing = await stores.clientSecrets.listClientSecrets(orgId, credentialId);
    if (!existing.some((s) => s.id === secretId)) throw pimsError('console.not_found');
    if (existing.length <= 1) throw limit('secretId', 'is the only secret: add another one first');
    await stores.clientSecrets.deleteClientSecretById(orgId, secretId);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'credential.secret_deleted',
      targetType: 'credential',
      targetId: credentialId,
      details: { secretId },
    });
    return credential.clientId;
  });
  // A removed secret fails at once on this instance (EX-10), within the client cache bound on the others.
  deps.revoker.invalidateClient(clientId);
}

export async function addCertificate(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
  input: CertificateInput,
): Promise<{ certificate: CertificateView; privateKey?: string }> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const credential = await findCredentialOr404(deps.storage, orgId, credentialId);
  const material = await certificateMaterial(deps, input, credential.name);
  try {
    const certificate = await deps.storage.transaction(async (stores) => {
      const active = await stores.certificates.listCertificates(orgId, credentialId, { status: 'active' });
      if (active.length >= MAX_ACTIVE_CERTIFICATES)
        throw limit('certificates', `at most ${MAX_ACTIVE_CERTIFICATES} active: revoke one first`);
      const certificate = await insertCertificate(deps, stores, credential, material);
      await recordChange(deps, stores, ctx, {
        orgId,
        action: 'credential.certificate_added',
        targetType: 'credential',
        targetId: credentialId,
        details: { certificateId: certificate.id, fingerprintSha256: certificate.fingerprintSha256 },
      });
      return certificate;
    });
    deps.revoker.invalidateClient(credential.clientId);
    return {
      certificate: certificateView(certificate),
      ...(material.privateKeyPem ? { privateKey: material.privateKeyPem } : {}),
    };
  } catch (err) {
    if (isUniqueViolation(err)) throw limit('certificate', 'is already attached to this credential');
    throw err;
  }
}

export async function revokeCertificate(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  credentialId: string,
  certificateId: string,
): Promise<void> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const clientId = await deps.storage.transaction(async (stores) => {
    const credential = await findCredentialOr404(stores, orgId, credentialId);
    const certificate = await stores.certificates.findCertificateById(orgId, certificateId);
    if (certificate?.credentialId !== credentialId) throw pimsError('console.not_found');
    if (!(await stores.certificates.revokeCertificateById(orgId, certificateId, deps.clock.now())))
      throw pimsError('console.conflict', {
        details: [{ field: 'certificateId', message: 'is already revoked' }],
      });
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'credential.certificate_revoked',
      targetType: 'credential',
      targetId: credentialId,
      details: { certificateId },
    });
    return credential.clientId;
  });
  deps.revoker.invalidateClient(clientId);
}
