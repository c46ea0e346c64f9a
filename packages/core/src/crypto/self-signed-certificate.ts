/**
 * RSA key pairs and self-signed X.509 certificates, built with PKI.js (never hand-written ASN.1) and checked by
 * node:crypto, so a malformed certificate fails here rather than at a peer. One implementation serves the IMS signing
 * keys, the Developer Console's "generate a key pair", the demo credential and `pims keys generate`.
 *
 * Pure JavaScript: importable through `@pims/core/crypto` without loading storage or native modules.
 */
import {
  X509Certificate,
  createHash,
  generateKeyPair,
  randomBytes,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const generateRsaKeyPair = promisify(generateKeyPair);
const RSASSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const OID_COMMON_NAME = '2.5.4.3';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const DAY_MS = 86_400_000;

/** The Developer Console's default certificate validity (DESIGN.md §3.5). */
export const DEFAULT_CERTIFICATE_VALIDITY_DAYS = 365;

export interface SelfSignedCertificateOptions {
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** Subject and issuer `CN`. */
  commonName: string;
  /** Milliseconds since the epoch; X.509 keeps whole seconds. */
  notBefore: number;
  notAfter: number;
}

export interface SelfSignedCertificate {
  pem: string;
  der: Buffer;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprintSha256: string;
}

/** A v3 certificate for `publicKey`, signed with `privateKey` (SHA-256 with RSA), `basicConstraints cA:false`. */
export async function createSelfSignedCertificate(
  options: SelfSignedCertificateOptions,
): Promise<SelfSignedCertificate> {
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    options.privateKey.export({ format: 'der', type: 'pkcs8' }),
    RSASSA,
    false,
    ['sign'],
  );
  const verifyingKey = await webcrypto.subtle.importKey(
    'spki',
    options.publicKey.export({ format: 'der', type: 'spki' }),
    RSASSA,
    true,
    ['verify'],
  );
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40; // a positive INTEGER, minimally encoded (no leading zero byte)
  const name = () => [
    new pkijs.AttributeTypeAndValue({
      type: OID_COMMON_NAME,
      value: new asn1js.Utf8String({ value: options.commonName }),
    }),
  ];

  const certificate = new pkijs.Certificate();
  certificate.version = 2; // v3
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject.typesAndValues = name();
  certificate.issuer.typesAndValues = name();
  certificate.notBefore.value = new Date(options.notBefore);
  certificate.notAfter.value = new Date(options.notAfter);
  certificate.extensions = [
    new pkijs.Extension({
      extnID: OID_BASIC_CONSTRAINTS,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
  ];
  await certificate.subjectPublicKeyInfo.importKey(verifyingKey, engine);
  await certificate.sign(signingKey, 'SHA-256', engine);

  const der = Buffer.from(certificate.toSchema(true).toBER(false));
  const parsed = new X509Certificate(der);
  if (!parsed.verify(options.publicKey)) throw new Error('the generated certificate does not verify');
  return { pem: parsed.toString(), der, fingerprintSha256: createHash('sha256').update(der).digest('hex') };
}

export interface KeyPairWithCertificateOptions {
  commonName: string;
  /** Milliseconds since the epoch; the certificate is valid from a minute before (clock skew). */
  now: number;
  validityDays?: number;
  /** RSA modulus length in bits (default 2048). */
  modulusLength?: number;
}

export interface KeyPairWithCertificate {
  /** PKCS#8 PEM. Handed out once; the IMS never stores a partner's private key. */
  privateKeyPem: string;
  certificatePem: string;
  fingerprintSha256: string;
  /** Milliseconds since the epoch, whole seconds. */
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
}

/** A fresh RSA key pair and its self-signed certificate. */
export async function generateKeyPairWithCertificate(
  options: KeyPairWithCertificateOptions,
): Promise<KeyPairWithCertificate> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: options.modulusLength ?? 2048,
    publicExponent: 0x10001,
  });
  const notBefore = Math.floor((options.now - 60_000) / 1000) * 1000;
  const validityDays = options.validityDays ?? DEFAULT_CERTIFICATE_VALIDITY_DAYS;
  const notAfter = Math.floor((options.now + validityDays * DAY_MS) / 1000) * 1000;
  const certificate = await createSelfSignedCertificate({
    publicKey,
    privateKey,
    commonName: options.commonName,
    notBefore,
    notAfter,
  });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certificatePem: certificate.pem,
    fingerprintSha256: certificate.fingerprintSha256,
    notBefore,
    notAfter,
    publicKey,
  };
}
