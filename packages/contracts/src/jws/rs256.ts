/**
 * RS256 compact JWS for the hot paths that sign or verify one on every request: the IMS's client assertion, the
 * access token it mints, and the gateway's first sight of an access token (decisions 0006, 0008, 0011). jose stays the
 * library for everything else (JWKS, X.509, validate_token, the client); here the RSA work is WebCrypto's
 * `subtle.verify`/`subtle.sign` (run in libuv's thread pool) with each `KeyObject` imported once as a `CryptoKey`, and
 * none of jose's per-call JWT work. node:crypto's callback `verify`/`sign` did the same RSA work, but in the running
 * gateway the objects of each call outlived the young generation, so a stream of new tokens made V8 run a full
 * mark-compact every second or so (decision 0011).
 *
 * Nothing is trusted before the signature verifies: `splitCompactJws` only decodes the protected header (the caller
 * decides from it which key, if any, to try), and the payload is decoded by `verifiedPayload` after `verifyRs256`.
 */
import { webcrypto, type KeyObject } from 'node:crypto';

/** Three non-empty base64url segments and nothing else: no padding, no other characters, no fourth segment. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface CompactJws {
  /** The decoded protected header, a JSON object. */
  header: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  payloadSegment: string;
  signatureSegment: string;
}

/** A base64url segment holding a JSON object, decoded; undefined when it holds anything else. */
export function decodeJsonObjectSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a compact JWS with its protected header decoded; undefined when it is not one. */
export function splitCompactJws(token: string): CompactJws | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  const header = decodeJsonObjectSegment(token.slice(0, first));
  if (header === undefined) return undefined;
  return {
    header,
    signingInput: token.slice(0, last),
    payloadSegment: token.slice(first + 1, last),
    signatureSegment: token.slice(last + 1),
  };
}

const MIN_RSA_BITS = 2048;

function isRsaKey(key: KeyObject, type: 'public' | 'private'): boolean {
  return (
    key.type === type &&
    key.asymmetricKeyType === 'rsa' &&
    (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS
  );
}

const RSASSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * Each checked RSA key's WebCrypto form, imported once (non-extractable, for its one use): a public key for `verify`,
 * a private key for `sign`. While the import runs the entry is its promise, which every caller shares; then the key
 * itself, so later calls skip a turn. Keyed weakly, so a key dropped from a key ring is not kept alive here.
 */
const cryptoKeys = new WeakMap<KeyObject, webcrypto.CryptoKey | Promise<webcrypto.CryptoKey>>();

function importCryptoKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const pending = (
    key.type === 'public'
      ? webcrypto.subtle.importKey('spki', key.export({ format: 'der', type: 'spki' }), RSASSA, false, [
          'verify',
        ])
      : webcrypto.subtle.importKey('pkcs8', key.export({ format: 'der', type: 'pkcs8' }), RSASSA, false, [
          'sign',
        ])
  ).then((cryptoKey) => {
    cryptoKeys.set(key, cryptoKey);
    return cryptoKey;
  });
  cryptoKeys.set(key, pending);
  return pending;
}

/** Runs `use` with the key's `CryptoKey`: at once when it was imported before, after the (shared) import otherwise. */
function withCryptoKey<T>(key: KeyObject, use: (cryptoKey: webcrypto.CryptoKey) => Promise<T>): Promise<T> {
  const known = cryptoKeys.get(key);
  if (known !== undefined && !(known instanceof Promise)) return use(known);
  return (known ?? importCryptoKey(key)).then(use);
}

/**
 * True when the signature is RSASSA-PKCS1-v1_5 with SHA-256 by `key` over the signing input. Only an RSA public key of
 * at least 2048 bits is used; anything else (an EC or RSA-PSS key, a short modulus, a private or secret key) is false,
 * so a header's claim about the algorithm never chooses how the key is used. Never rejects.
 */
export function verifyRs256(jws: CompactJws, key: KeyObject): Promise<boolean> {
  if (!isRsaKey(key, 'public')) return Promise.resolve(false);
  const signature = Buffer.from(jws.signatureSegment, 'base64url');
  const data = Buffer.from(jws.signingInput, 'latin1');
  return withCryptoKey(key, (cryptoKey) =>
    webcrypto.subtle.verify(RSASSA.name, cryptoKey, signature, data),
  ).catch(() => false);
}

/** The payload of a JWS whose signature verified, when it is a JSON object. */
export function verifiedPayload(jws: CompactJws): Record<string, unknown> | undefined {
  return decodeJsonObjectSegment(jws.payloadSegment);
}

/**
 * A compact JWS of `header` (written as given: the caller puts `alg: "RS256"` and its members in the order it wants)
 * and `payload` (the exact JSON text to sign), signed RSASSA-PKCS1-v1_5 / SHA-256 by `key` in the thread pool. Only an
 * RSA private key of at least 2048 bits signs; any other key, or a header whose `alg` is not RS256, rejects with a
 * `TypeError` before any work. Deterministic: the same header, payload and key give the same token.
 */
export function signRs256(header: Record<string, unknown>, payload: string, key: KeyObject): Promise<string> {
  if (header.alg !== 'RS256') return Promise.reject(new TypeError('signRs256 writes only alg RS256 headers'));
  if (!isRsaKey(key, 'private')) {
    return Promise.reject(
      new TypeError(`signRs256 needs an RSA private key of at least ${MIN_RSA_BITS} bits`),
    );
  }
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return withCryptoKey(key, (cryptoKey) =>
    webcrypto.subtle.sign(RSASSA.name, cryptoKey, Buffer.from(signingInput, 'latin1')),
  ).then((signature) => `${signingInput}.${Buffer.from(signature).toString('base64url')}`);
}
