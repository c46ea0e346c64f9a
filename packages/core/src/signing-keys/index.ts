export { SigningKeyError, type SigningKeyErrorCode } from './signing-key-errors.js';
export { KID_PREFIX } from './signing-key-ids.js';
export { SIGNING_CERTIFICATE_VALIDITY_DAYS } from './signing-key-material.js';
export { pruneRetiredSigningKeys, type SigningKeyStorage } from './signing-key-lifecycle.js';
export {
  DEFAULT_KEY_REFRESH_INTERVAL_MS,
  DEFAULT_MIN_STAGED_MS,
  createSigningKeyRing,
  describeSigningKeys,
  isPublished,
  type ActiveSigner,
  type RotationResult,
  type SigningKeyInfo,
  type SigningKeyRing,
  type SigningKeyRingOptions,
} from './signing-key-ring.js';
