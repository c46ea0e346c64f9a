/**
 * A partner's key pair and self-signed X.509 certificate, as the Developer Console generates them (DESIGN §3.5:
 * RSA-2048, 365 days by default). The one implementation lives in `crypto/self-signed-certificate.ts`.
 */
import {
  generateKeyPairWithCertificate,
  type KeyPairWithCertificate,
  type KeyPairWithCertificateOptions,
} from '../../crypto/self-signed-certificate.js';

export type ClientKeyPair = KeyPairWithCertificate;
export type ClientKeyPairOptions = KeyPairWithCertificateOptions;

/** @example const pair = await generateClientKeyPair({ commonName: 'Demo Credential', now: Date.now() }); */
export function generateClientKeyPair(options: ClientKeyPairOptions): Promise<ClientKeyPair> {
  return generateKeyPairWithCertificate(options);
}
