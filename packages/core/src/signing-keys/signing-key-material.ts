/**
 * New IMS signing key material: an RSA-2048 key pair and a self-signed X.509 certificate for it (published at
 * `/ims/keys/{kid}.cer`, named by the token header's `x5u`). The certificate is built with PKI.js, not by hand.
 */
import { X509Certificate, generateKeyPair, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

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

const RSASSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const OID_COMMON_NAME = '2.5.4.3';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

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
  const certificatePem = await selfSignedCertificate(kid, publicKey, privateKey, now);
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: rsaPublicJwk(publicKey),
    certificatePem,
  };
}

async function selfSignedCertificate(
  kid: string,
  publicKey: KeyObject,
  privateKey: KeyObject,
  now: number,
): Promise<string> {
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });
  const subtle = webcrypto.subtle;
  const signingKey = await subtle.importKey(
    'pkcs8',
    privateKey.export({ format: 'der', type: 'pkcs8' }),
    RSASSA,
    false,
    ['sign'],
  );
  const verifyingKey = await subtle.importKey(
    'spki',
    publicKey.export({ format: 'der', type: 'spki' }),
    RSASSA,
    true,
    ['verify'],
  );

  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40; // a positive INTEGER, minimally encoded (no leading zero byte)
  const name = () => [
    new pkijs.AttributeTypeAndValue({ type: OID_COMMON_NAME, value: new asn1js.Utf8String({ value: kid }) }),
  ];

  const certificate = new pkijs.Certificate();
  certificate.version = 2; // v3
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject.typesAndValues = name();
  certificate.issuer.typesAndValues = name();
  certificate.notBefore.value = new Date(now - 60_000);
  certificate.notAfter.value = new Date(now + SIGNING_CERTIFICATE_VALIDITY_DAYS * 86_400_000);
  certificate.extensions = [
    new pkijs.Extension({
      extnID: OID_BASIC_CONSTRAINTS,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
  ];
  await certificate.subjectPublicKeyInfo.importKey(verifyingKey, engine);
  await certificate.sign(signingKey, 'SHA-256', engine);

  // node:crypto parses the DER (so a malformed certificate fails here, not at a gateway) and writes the PEM.
  const parsed = new X509Certificate(Buffer.from(certificate.toSchema(true).toBER(false)));
  if (!parsed.verify(publicKey)) throw new Error('the generated signing certificate does not verify');
  return parsed.toString();
}
