/**
 * Verifies an IMS access token without trusting anything it says about keys (GW-2, RFC 8725): alg RS256 only; the key
 * only by `kid` from the trusted IMS key set; `jku`, `jwk`, `x5c` and `crit` refused; `x5u` accepted only as the name
 * of the same trusted key (`K.cer` or `{ims}/ims/keys/K.cer`), never fetched. Claims are read only after the
 * signature verifies (RS256 only, in the thread pool: `@pims/contracts/jws`, decision 0006). Expiry and revocation
 * are checked per request by the caller, not here.
 */
import type { KeyObject } from 'node:crypto';
import { METASCOPE_PARTNERS_SDK } from '@pims/contracts';
import { splitCompactJws, verifiedPayload, verifyRs256 } from '@pims/contracts/jws';
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

const FORBIDDEN_HEADER_PARAMS = ['jku', 'jwk', 'x5c', 'crit', 'b64', 'zip', 'enc'];

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

/**
 * Verifies signature, type and issuer of a compact JWS. The protected header is accepted (`acceptableKid`) before any
 * key is looked up; the key comes from the trusted set only; the payload is read once the signature verifies.
 */
export async function verifyAccessToken(deps: VerifyTokenDeps, token: string): Promise<VerifyResult> {
  const jws = splitCompactJws(token);
  if (jws === undefined) return { ok: false, reason: 'malformed' };
  const kid = acceptableKid(jws.header, deps.imsUrl);
  if (kid === undefined) return { ok: false, reason: 'header' };
  const found = deps.resolveKey(kid);
  const key = found instanceof Promise ? await found : found;
  if (key === undefined) return { ok: false, reason: 'unknown_key' };
  if (!(await verifyRs256(jws, key))) return { ok: false, reason: 'bad_signature' };

  const claims = verifiedPayload(jws);
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
