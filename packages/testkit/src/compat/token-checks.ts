/**
 * Checks shared by the compatibility tests: an access token from our IMS verifies against its published key set
 * (`/ims/keys`) and carries Adobe's claims (DESIGN §3.3) for the expected credential.
 */
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';

/** Adobe's access-token claims as our IMS writes them (DESIGN §3.3). */
export interface AdobeAccessTokenClaims extends JWTPayload {
  id: string;
  type: string;
  client_id: string;
  user_id: string;
  as: string;
  aa_id: string;
  org: string;
  scope: string;
  created_at: string;
  expires_in: string;
}

export interface ExpectedToken {
  /** The IMS base URL: the `iss` of its tokens and the base of its key set URL. */
  imsUrl: string;
  clientId: string;
  orgId: string;
  technicalAccountId: string;
  /** Scopes the token must carry (others may be present). */
  scopes: string[];
}

/** Verifies `token` with the IMS's JWKS (RS256, issuer) and asserts its header and claims; returns the claims. */
export async function assertImsAccessToken(
  token: string,
  expected: ExpectedToken,
  jwksBase = expected.imsUrl,
): Promise<AdobeAccessTokenClaims> {
  const header = decodeProtectedHeader(token);
  assert.equal(header.alg, 'RS256');
  assert.equal(typeof header.kid, 'string');
  assert.equal(header.x5u, `${header.kid}.cer`);
  assert.equal((header as { itt?: unknown }).itt, 'at');

  const keys = createRemoteJWKSet(new URL(`${jwksBase}/ims/keys`));
  const { payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], issuer: expected.imsUrl });
  const claims = payload as AdobeAccessTokenClaims;

  assert.equal(claims.type, 'access_token');
  assert.equal(claims.client_id, expected.clientId);
  assert.equal(claims.user_id, expected.technicalAccountId);
  assert.equal(claims.sub, expected.technicalAccountId);
  assert.equal(claims.org, expected.orgId);
  assert.equal(claims.jti, claims.id);
  const granted = claims.scope.split(',');
  for (const scope of expected.scopes)
    assert.ok(granted.includes(scope), `scope ${scope} in ${claims.scope}`);

  // `created_at` / `expires_in` are millisecond strings, as Adobe's clients compute expiry from them.
  assert.match(claims.created_at, /^\d+$/);
  assert.match(claims.expires_in, /^\d+$/);
  const createdAt = Number(claims.created_at);
  const expiresAt = createdAt + Number(claims.expires_in);
  assert.ok(Math.abs(createdAt - Date.now()) < 60_000, 'created_at is now, in milliseconds');
  assert.equal(claims.iat, Math.floor(createdAt / 1000));
  assert.equal(claims.exp, Math.floor(expiresAt / 1000));
  return claims;
}

/** When Adobe's clients consider the token expired: `created_at + expires_in` (ms since the epoch). */
export function expiryOf(claims: Pick<AdobeAccessTokenClaims, 'created_at' | 'expires_in'>): number {
  return Number(claims.created_at) + Number(claims.expires_in);
}
