export { KeyDecryptionError, decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';
export { keyedHash, verifyKeyedHash } from './keyed-hash.js';
export { randomHex, randomSecret } from './random.js';
export {
  DEFAULT_CERTIFICATE_VALIDITY_DAYS,
  createSelfSignedCertificate,
  generateKeyPairWithCertificate,
  type KeyPairWithCertificate,
  type KeyPairWithCertificateOptions,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
} from './self-signed-certificate.js';
