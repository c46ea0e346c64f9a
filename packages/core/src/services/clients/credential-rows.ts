/**
 * The rows that give a credential its ways in: a client secret (stored as a keyed hash, with its last four characters
 * as a hint) and an active certificate. Written the same way by the console and by the sandbox's demo seeding.
 */
import type { IdGenerator } from '../../ids.js';
import type { Credential } from '../../stores/records.js';
import type { Stores } from '../../stores/stores.js';
import type { CertificateMaterial } from '../console/certificate-upload.js';
import type { Clock } from '../ims-settings.js';

export interface CredentialRowDeps {
  ids: Pick<IdGenerator, 'uuid'>;
  clock: Clock;
}

export function insertCertificate(
  deps: CredentialRowDeps,
  stores: Stores,
  credential: Credential,
  material: CertificateMaterial,
) {
  return stores.certificates.insertCertificate(credential.orgId, {
    id: deps.ids.uuid(),
    credentialId: credential.id,
    pem: material.certificatePem,
    fingerprintSha256: material.fingerprintSha256,
    notBefore: material.notBefore,
    notAfter: material.notAfter,
    status: 'active',
    createdAt: deps.clock.now(),
    revokedAt: null,
  });
}

/** `hashToken`: the keyed hash the IMS checks presented secrets against. */
export function insertSecret(
  deps: CredentialRowDeps & { hashToken: (secret: string) => string },
  stores: Stores,
  credential: Credential,
  secret: string,
) {
  return stores.clientSecrets.insertClientSecret(credential.orgId, {
    id: deps.ids.uuid(),
    credentialId: credential.id,
    secretHash: deps.hashToken(secret),
    hint: secret.slice(-4),
    createdAt: deps.clock.now(),
    lastUsedAt: null,
  });
}
