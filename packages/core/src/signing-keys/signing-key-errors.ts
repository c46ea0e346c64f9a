/** Errors that stop the IMS from starting or a key lifecycle step from running. Messages never hold key material. */

export type SigningKeyErrorCode =
  | 'SIGNING_KEYS_UNDECRYPTABLE'
  | 'SIGNING_KEY_MISMATCH'
  | 'NO_ACTIVE_SIGNING_KEY'
  | 'SIGNING_KEY_RING_NOT_READY'
  | 'NEXT_SIGNING_KEY_TOO_NEW';

/** A signing-key problem with a stable `code`; the IMS refuses to start on any of them. */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
  constructor(
    readonly code: SigningKeyErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A stored private key can't be decrypted with the configured key-encryption key. */
export function undecryptableKeysError(kid: string, cause: unknown): SigningKeyError {
  return new SigningKeyError(
    'SIGNING_KEYS_UNDECRYPTABLE',
    `the IMS signing keys can't be decrypted with the configured key-encryption key (key ${kid}). ` +
      'Set PIMS_KEY_ENCRYPTION_KEY (or the key file) to the key they were encrypted with; ' +
      'the IMS does not make new signing keys while stored ones are unreadable.',
    { cause },
  );
}

/** A stored private key decrypts but is not the private half of the stored public key. */
export function mismatchedKeyError(kid: string): SigningKeyError {
  return new SigningKeyError(
    'SIGNING_KEY_MISMATCH',
    `the stored private key of IMS signing key ${kid} does not match its published public key`,
  );
}

/** Keys are stored but none is active (e.g. all retired). */
export function noActiveKeyError(): SigningKeyError {
  return new SigningKeyError(
    'NO_ACTIVE_SIGNING_KEY',
    'no IMS signing key is active: run `pims key rotate` (to stage a key) and again (to activate it)',
  );
}
