/**
 * New IMS signing key material: an RSA-2048 key pair and a self-signed X.509 certificate for it (published at
 * `/ims/keys/{kid}.cer`, named by the token header's `x5u`), built by `crypto/self-signed-certificate.ts`.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { createSelfSignedCertificate } from '../crypto/self-signed-certificate.js';

const generateRsaKeyPair = promisify(generateKeyPair);

/** How long the self-signed certificate of a signing key is valid. Keys are rotated long before. */
export const SIGNING_CERTIFICATE_VALIDITY_DAYS = 3650;

/** Public JWK members of an RSA signing key (never a private member). */
export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

export interface SigningKeyMaterial {
  kid: string;
  /** PKCS#8 PEM. Encrypt it before it leaves memory. */
  privateKeyPem: string;
  publicJwk: RsaPublicJwk;
  certificatePem: string;
}

/** The public members of an RSA public key as a JWK. */
export function rsaPublicJwk(publicKey: KeyObject): RsaPublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new TypeError('not an RSA public key');
  }
  return { kty: 'RSA', n: jwk.n, e: jwk.e };
}

/**
 * Generates an RSA-2048 key pair and a self-signed certificate (`CN={kid}`, valid from `now` minus a minute for clock
 * skew, for {@link SIGNING_CERTIFICATE_VALIDITY_DAYS} days, `basicConstraints cA:false`).
 */
export async function generateSigningKeyMaterial(kid: string, now: number): Promise<SigningKeyMaterial> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  const { pem: certificatePem } = await createSelfSignedCertificate({
    publicKey,
    privateKey,
    commonName: kid,
    notBefore: now - 60_000,
    notAfter: now + SIGNING_CERTIFICATE_VALIDITY_DAYS * 86_400_000,
  });
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: rsaPublicJwk(publicKey),
    certificatePem,
  };
}
