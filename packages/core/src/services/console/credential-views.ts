/** What reads of credentials return: never a secret hash; secrets appear as hints, certificates as public PEM. */
import { pimsError } from '@pims/contracts';
import type { Certificate, ClientSecret, Credential } from '../../stores/records.js';
import type { Stores } from '../../stores/stores.js';

export interface SecretView {
  id: string;
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type CertificateView = Omit<Certificate, 'orgId' | 'credentialId'>;

export interface CredentialDetail extends Credential {
  secrets: SecretView[];
  certificates: CertificateView[];
}

export function secretView(secret: ClientSecret): SecretView {
  return { id: secret.id, hint: secret.hint, createdAt: secret.createdAt, lastUsedAt: secret.lastUsedAt };
}

export function certificateView(certificate: Certificate): CertificateView {
  const { orgId: _org, credentialId: _credential, ...view } = certificate;
  return view;
}

export async function findCredentialOr404(
  stores: Pick<Stores, 'credentials'>,
  orgId: string,
  credentialId: string,
): Promise<Credential> {
  const credential = await stores.credentials.findCredentialById(orgId, credentialId);
  if (!credential) throw pimsError('console.not_found');
  return credential;
}

export async function credentialDetail(
  stores: Pick<Stores, 'clientSecrets' | 'certificates'>,
  credential: Credential,
): Promise<CredentialDetail> {
  const [secrets, certificates] = await Promise.all([
    stores.clientSecrets.listClientSecrets(credential.orgId, credential.id),
    stores.certificates.listCertificates(credential.orgId, credential.id),
  ]);
  return { ...credential, secrets: secrets.map(secretView), certificates: certificates.map(certificateView) };
}
