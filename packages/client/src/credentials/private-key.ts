import { createPrivateKey, type KeyObject } from 'node:crypto';
import { CredentialError } from '../errors.js';

/**
 * Parses an RSA private key once: PKCS#8, encrypted PKCS#8 (with `passphrase`) or PKCS#1 PEM, or a `KeyObject`.
 * Errors name `field` and `source` and never include the key.
 *
 * @example
 * ```ts
 * const key = parsePrivateKey(readFileSync('private.key', 'utf8'), { source: 'private.key' });
 * ```
 */
export function parsePrivateKey(
  key: string | Buffer | KeyObject,
  where: { source: string; field?: string; passphraseField?: string; passphrase?: string | undefined },
): KeyObject {
  const field = where.field ?? 'privateKey';
  const fail = (problem: string, passphraseProblem = false): never => {
    throw new CredentialError(
      where.source,
      [{ field: passphraseProblem ? (where.passphraseField ?? 'passphrase') : field, problem }],
      'private_key_invalid',
    );
  };
  let parsed: KeyObject;
  if (typeof key === 'object' && !Buffer.isBuffer(key)) {
    parsed = key;
  } else {
    const pem = typeof key === 'string' ? key : key.toString('utf8');
    if (!pem.includes('-----BEGIN')) fail('is not a PEM private key');
    const encrypted = pem.includes('ENCRYPTED PRIVATE KEY') || pem.includes('Proc-Type: 4,ENCRYPTED');
    if (encrypted && !where.passphrase) fail('is required: the private key is encrypted', true);
    try {
      parsed = createPrivateKey(
        where.passphrase
          ? { key: pem, format: 'pem', passphrase: where.passphrase }
          : { key: pem, format: 'pem' },
      );
    } catch {
      return encrypted
        ? fail('does not decrypt the private key', true)
        : fail('could not be parsed as a private key');
    }
  }
  if (parsed.type !== 'private') fail('is not a private key');
  if (parsed.asymmetricKeyType !== 'rsa') fail('must be an RSA key (RS256)');
  const bits = parsed.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) fail(`must be at least 2048 bits (got ${bits})`);
  return parsed;
}
