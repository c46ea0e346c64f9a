/**
 * Checks an uploaded certificate (SECURITY CON-9): one X.509 PEM block, size-capped, no private key anywhere in the
 * upload, an RSA key of at least 2048 bits, valid now (not expired, not starting more than 5 minutes ahead).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { MAX_CERTIFICATE_PEM, pimsError } from '@pims/contracts';

export interface CertificateMaterial {
  certificatePem: string;
  fingerprintSha256: string;
  notBefore: number;
  notAfter: number;
}

const refuse = (message: string) =>
  pimsError('console.unprocessable', { details: [{ field: 'certificate.pem', message }] });

export function checkUploadedCertificate(pem: string, now: number): CertificateMaterial {
  if (pem.length > MAX_CERTIFICATE_PEM) throw pimsError('console.payload_too_large');
  if (/PRIVATE KEY/.test(pem)) throw refuse('must not contain a private key: upload the certificate only');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw refuse('must hold exactly one PEM certificate');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw refuse('is not an X.509 certificate');
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw refuse('must hold an RSA public key');
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw refuse('must hold an RSA key of at least 2048 bits');
  const notBefore = Date.parse(certificate.validFrom);
  const notAfter = Date.parse(certificate.validTo);
  if (!(notAfter > now)) throw refuse('has expired');
  if (!(notBefore <= now + 5 * 60_000)) throw refuse('is not valid yet');
  return {
    certificatePem: certificate.toString(),
    fingerprintSha256: createHash('sha256').update(certificate.raw).digest('hex'),
    notBefore,
    notAfter,
  };
}
