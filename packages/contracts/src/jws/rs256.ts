/**
 * RS256 compact JWS for the hot paths that sign or verify one on every request: the IMS's client assertion, the
 * access token it mints, and the gateway's first sight of an access token (decisions 0006, 0008). jose stays the
 * library for everything else (JWKS, X.509, validate_token, the client); here the RSA work is node:crypto's one-shot
 * `verify`/`sign` run in libuv's thread pool, which costs the event loop a fraction of jose's WebCrypto on Node 20.
 *
 * Nothing is trusted before the signature verifies: `splitCompactJws` only decodes the protected header (the caller
 * decides from it which key, if any, to try), and the payload is decoded by `verifiedPayload` after `verifyRs256`.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

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

/**
 * True when the signature is RSASSA-PKCS1-v1_5 with SHA-256 by `key` over the signing input. Only an RSA public key of
 * at least 2048 bits is used; anything else (an EC or RSA-PSS key, a short modulus, a private or secret key) is false,
 * so a header's claim about the algorithm never chooses how the key is used. Never rejects.
 */
export function verifyRs256(jws: CompactJws, key: KeyObject): Promise<boolean> {
  if (!isRsaKey(key, 'public')) return Promise.resolve(false);
  const signature = Buffer.from(jws.signatureSegment, 'base64url');
  return new Promise((resolve) => {
    verify('sha256', Buffer.from(jws.signingInput, 'latin1'), key, signature, (err, ok) => {
      resolve(err === null && ok);
    });
  });
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
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput, 'latin1'), key, (err, signature) => {
      if (err !== null) reject(err);
      else resolve(`${signingInput}.${signature.toString('base64url')}`);
    });
  });
}
