/**
 * The client assertion of the JWT exchange, checked in an order that never reads a claim before the signature is
 * verified (SECURITY EX-3…EX-6): header only → signature with this credential's certificates → claims.
 */
import { pimsError } from '@pims/contracts';
import {
  decodeJsonObjectSegment,
  splitCompactJws,
  verifiedPayload,
  verifyRs256,
  type CompactJws,
} from '@pims/contracts/jws';
import type { ClientRecord } from '../clients/client-directory.js';
import { MAX_IAT_AHEAD_SECONDS, type ImsSettings } from '../ims-settings.js';

/** Header parameters that would let the assertion name its own key, or change how it is processed. */
const FORBIDDEN_HEADER_PARAMETERS = ['jwk', 'jku', 'x5c', 'x5u', 'crit', 'b64'] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_JTI_LENGTH = 256;

export interface CheckedAssertion {
  /** Seconds since the epoch. */
  exp: number;
  jti: string | undefined;
  /** Metascopes the assertion asks for, each bound to the credential. */
  metascopes: string[];
}

/** Step 1: the protected header, and nothing else. */
export function checkAssertionHeader(assertion: string): void {
  const parts = assertion.split('.');
  // An empty signature (`alg: none`) is decoded, so that it is refused for its algorithm below.
  const [header64, payload64, signature64] = parts;
  if (parts.length !== 3 || !BASE64URL.test(header64 ?? '') || !BASE64URL.test(payload64 ?? '')) {
    throw pimsError('ims.token_malformed');
  }
  if (signature64 !== '' && !BASE64URL.test(signature64 ?? '')) throw pimsError('ims.token_malformed');
  const header = decodeJsonObjectSegment(header64 ?? '');
  if (header === undefined) throw pimsError('ims.token_malformed');
  if (header.alg !== 'RS256') throw pimsError('ims.invalid_signature');
  if (FORBIDDEN_HEADER_PARAMETERS.some((name) => Object.prototype.hasOwnProperty.call(header, name))) {
    throw pimsError('ims.invalid_signature');
  }
}

/**
 * Step 2: RS256 with any active certificate of this credential valid at `now` (in the thread pool, decision 0006).
 * Returns the verified JWS, its payload still unread.
 */
export async function verifyAssertionSignature(
  assertion: string,
  record: ClientRecord,
  now: number,
): Promise<CompactJws> {
  const jws = splitCompactJws(assertion);
  if (jws !== undefined) {
    for (const certificate of record.certificates) {
      if (certificate.notBefore > now || certificate.notAfter <= now) continue;
      if (await verifyRs256(jws, certificate.key)) return jws;
    }
  }
  throw pimsError('ims.invalid_signature');
}

function isIntegerSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Step 3: the claims of a verified payload. */
export function checkAssertionClaims(
  verified: CompactJws,
  record: ClientRecord,
  settings: ImsSettings,
  now: number,
): CheckedAssertion {
  const claims = verifiedPayload(verified);
  if (claims === undefined) throw pimsError('ims.token_malformed');
  const { credential } = record;
  const nowSeconds = now / 1000;

  const { exp } = claims;
  if (!isIntegerSeconds(exp)) throw pimsError('ims.token_claims_invalid');
  if (exp + settings.clockSkewSeconds <= nowSeconds) throw pimsError('ims.token_expired');
  if (exp > nowSeconds + settings.assertionMaxLifetimeSeconds + settings.clockSkewSeconds) {
    throw pimsError('ims.token_lifetime_too_long');
  }
  for (const name of ['iat', 'nbf'] as const) {
    const value = claims[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw pimsError('ims.token_claims_invalid');
    if (value > nowSeconds + MAX_IAT_AHEAD_SECONDS) throw pimsError('ims.token_claims_invalid');
  }

  if (typeof claims.aud !== 'string') throw pimsError('ims.token_claims_invalid');
  if (claims.aud !== `${settings.imsUrl}/c/${credential.clientId}`) throw pimsError('ims.audience_mismatch');
  if (claims.iss !== credential.orgId || claims.sub !== credential.technicalAccountId) {
    throw pimsError('ims.token_claims_invalid');
  }

  const { jti } = claims;
  if (jti !== undefined && (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH)) {
    throw pimsError('ims.token_claims_invalid');
  }

  const prefix = `${settings.imsUrl}/s/`;
  const metascopes: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (!name.startsWith(prefix)) continue;
    const metascope = name.slice(prefix.length);
    // Only JSON `true` asks for a metascope; `"true"`, 1 or false are refused rather than ignored.
    if (value !== true || !credential.metascopes.includes(metascope)) throw pimsError('ims.invalid_scope');
    metascopes.push(metascope);
  }
  if (metascopes.length === 0) throw pimsError('ims.invalid_scope');

  return { exp, jti, metascopes };
}
