export { KeyDecryptionError, decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';
export { keyedHash, verifyKeyedHash } from './keyed-hash.js';
export { randomHex, randomSecret } from './random.js';
