/**
 * Verifies an IMS access token without trusting anything it says about keys (GW-2, RFC 8725): alg RS256 only; the key
 * only by `kid` from the trusted IMS key set; `jku`, `jwk`, `x5c` and `crit` refused; `x5u` accepted only as the name
 * of the same trusted key (`K.cer` or `{ims}/ims/keys/K.cer`), never fetched. Claims are read only after the
 * signature verifies (jose's `compactVerify`, RS256 only, off the event loop). Expiry and revocation are checked per
 * request by the caller, not here.
 */
import type { KeyObject } from 'node:crypto';
import { METASCOPE_PARTNERS_SDK } from '@pims/contracts';
import { compactVerify } from 'jose';
import type { VerifiedToken } from './verified-token.js';

export interface VerifyTokenDeps {
  issuer: string;
  imsUrl: string;
  /** The trusted key named `kid`: at once when known, else (a fetch of the key set) later; undefined when unknown. */
  resolveKey(kid: string): KeyObject | Promise<KeyObject | undefined>;
}

export type VerifyResult = { ok: true; token: VerifiedToken } | { ok: false; reason: VerifyFailure };

export type VerifyFailure =
  'malformed' | 'header' | 'unknown_key' | 'bad_signature' | 'claims' | 'wrong_type' | 'wrong_issuer';

/** A compact JWS: three non-empty base64url segments, nothing else (no padding, no other b64token characters). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FORBIDDEN_HEADER_PARAMS = ['jku', 'jwk', 'x5c', 'crit', 'b64', 'zip', 'enc'];

function decodeJsonBytes(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(decoder.decode(bytes)) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Checks the protected header; returns the `kid` it names, or undefined when the header is not acceptable. */
export function acceptableKid(header: Record<string, unknown>, imsUrl: string): string | undefined {
  if (header.alg !== 'RS256') return undefined;
  for (const param of FORBIDDEN_HEADER_PARAMS) if (param in header) return undefined;
  const kid = header.kid;
  if (!isNonEmptyString(kid)) return undefined;
  const x5u = header.x5u;
  if (x5u !== undefined && x5u !== `${kid}.cer` && x5u !== `${imsUrl}/ims/keys/${kid}.cer`) return undefined;
  return kid;
}

/** Why a key could not be resolved for a token, thrown from jose's key callback and caught below. */
class KeyRefused extends Error {
  constructor(readonly reason: 'header' | 'unknown_key') {
    super(reason);
  }
}

const decoder = new TextDecoder();

/**
 * Verifies signature, type and issuer of a compact JWS. jose parses the protected header once and hands it to the key
 * callback, which accepts it (`acceptableKid`) and resolves the key from the trusted set only; the payload jose
 * returns after a good signature is the one read.
 */
export async function verifyAccessToken(deps: VerifyTokenDeps, token: string): Promise<VerifyResult> {
  if (!COMPACT_JWS.test(token)) return { ok: false, reason: 'malformed' };
  let kid = '';
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(
      token,
      (header) => {
        const accepted = acceptableKid(header, deps.imsUrl);
        if (accepted === undefined) throw new KeyRefused('header');
        kid = accepted;
        const key = deps.resolveKey(accepted);
        if (!(key instanceof Promise)) return key;
        return key.then((resolved) => {
          if (resolved === undefined) throw new KeyRefused('unknown_key');
          return resolved;
        });
      },
      { algorithms: ['RS256'] },
    ));
  } catch (err) {
    if (err instanceof KeyRefused) return { ok: false, reason: err.reason };
    // A header that is not a JSON object, or any other JWS syntax error, is malformed; the rest is the signature.
    const code = (err as { code?: unknown }).code;
    return { ok: false, reason: code === 'ERR_JWS_INVALID' ? 'malformed' : 'bad_signature' };
  }

  const claims = decodeJsonBytes(payload);
  if (claims === undefined) return { ok: false, reason: 'claims' };
  if (claims.type !== 'access_token') return { ok: false, reason: 'wrong_type' };
  if (claims.iss !== deps.issuer) return { ok: false, reason: 'wrong_issuer' };
  const { jti, client_id: clientId, org, user_id: userId, scope, exp, iat } = claims;
  if (
    !isNonEmptyString(jti) ||
    !isNonEmptyString(clientId) ||
    !isNonEmptyString(org) ||
    !isNonEmptyString(userId) ||
    typeof scope !== 'string' ||
    typeof exp !== 'number' ||
    !Number.isFinite(exp)
  ) {
    return { ok: false, reason: 'claims' };
  }
  const createdAtClaim = Number(claims.created_at);
  const createdAt = Number.isFinite(createdAtClaim)
    ? createdAtClaim
    : typeof iat === 'number'
      ? iat * 1000
      : 0; // unknown: any client- or org-wide revocation applies
  return {
    ok: true,
    token: {
      kid,
      jti,
      clientId,
      orgId: org,
      technicalAccountId: userId,
      createdAt,
      expiresAt: exp * 1000,
      hasMetascope: scope.split(',').some((s) => s.trim() === METASCOPE_PARTNERS_SDK),
    },
  };
}
