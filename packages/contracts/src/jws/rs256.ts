/**
 * RS256 verification of a compact JWS for the two hot paths that verify one on every request: the IMS's client
 * assertion and the gateway's first sight of an access token (decision 0006). jose stays the library for everything
 * else (signing, JWKS, X.509, the client); here the signature check is node:crypto's one-shot `verify` run in libuv's
 * thread pool, which costs the event loop a third of what jose's WebCrypto verify does on Node 20.
 *
 * Nothing is trusted before the signature verifies: `splitCompactJws` only decodes the protected header (the caller
 * decides from it which key, if any, to try), and the payload is decoded by `verifiedPayload` after `verifyRs256`.
 */
import { verify, type KeyObject } from 'node:crypto';

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

/**
 * True when the signature is RSASSA-PKCS1-v1_5 with SHA-256 by `key` over the signing input. Only an RSA public key of
 * at least 2048 bits is used; anything else (an EC or RSA-PSS key, a short modulus, a private or secret key) is false,
 * so a header's claim about the algorithm never chooses how the key is used. Never rejects.
 */
export function verifyRs256(jws: CompactJws, key: KeyObject): Promise<boolean> {
  if (
    key.type !== 'public' ||
    key.asymmetricKeyType !== 'rsa' ||
    (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048
  ) {
    return Promise.resolve(false);
  }
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
