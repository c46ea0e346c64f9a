/**
 * A partner's key pair and self-signed X.509 certificate, as the Developer Console generates them (DESIGN §3.5:
 * RSA-2048, 365 days by default). Built with PKI.js; node:crypto parses the result, so a malformed one fails here.
 */
import { X509Certificate, createHash, generateKeyPair, randomBytes, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const generateRsaKeyPair = promisify(generateKeyPair);
const RSASSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const OID_COMMON_NAME = '2.5.4.3';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const DAY_MS = 86_400_000;

export const DEFAULT_CERTIFICATE_VALIDITY_DAYS = 365;

export interface ClientKeyPair {
  /** PKCS#8 PEM; handed to the partner once, never stored by the IMS. */
  privateKeyPem: string;
  certificatePem: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  fingerprintSha256: string;
  notBefore: number;
  notAfter: number;
}

export interface ClientKeyPairOptions {
  commonName: string;
  /** Milliseconds since the epoch; the certificate is valid from a minute before. */
  now: number;
  validityDays?: number;
  /** Bits (default 2048). */
  modulusLength?: number;
}

export async function generateClientKeyPair(options: ClientKeyPairOptions): Promise<ClientKeyPair> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: options.modulusLength ?? 2048,
    publicExponent: 0x10001,
  });
  const engine = new pkijs.CryptoEngine({
    name: 'node',
    crypto: webcrypto,
  });
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
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER
  const name = () => [
    new pkijs.AttributeTypeAndValue({
      type: OID_COMMON_NAME,
      value: new asn1js.Utf8String({ value: options.commonName }),
    }),
  ];
  const notBefore = Math.floor((options.now - 60_000) / 1000) * 1000;
  const notAfter =
    Math.floor((options.now + (options.validityDays ?? DEFAULT_CERTIFICATE_VALIDITY_DAYS) * DAY_MS) / 1000) *
    1000;

  const certificate = new pkijs.Certificate();
  certificate.version = 2; // v3
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject.typesAndValues = name();
  certificate.issuer.typesAndValues = name();
  certificate.notBefore.value = new Date(notBefore);
  certificate.notAfter.value = new Date(notAfter);
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
  if (!parsed.verify(publicKey)) throw new Error('the generated certificate does not verify');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certificatePem: parsed.toString(),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    notBefore,
    notAfter,
  };
}
