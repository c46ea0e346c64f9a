/**
 * The contract between the signing-key ring / access-token minting (tokens/, signing-keys/) and the token endpoints
 * (services/token-exchange/). DESIGN.md §3.3.
 */

/** Claims of an IMS access token, as Adobe's IMS writes them, plus the standard JWT claims. */
export interface AccessTokenClaims {
  id: string; // token id, equals jti
  type: 'access_token';
  client_id: string;
  user_id: string; // technical account id
  as: string; // IMS name, e.g. `ims-na1`
  aa_id: string; // technical account id, as Adobe writes it
  org: string; // org id
  scope: string; // comma-separated
  created_at: string; // ms since epoch, as a string
  expires_in: string; // ms, as a string
  iat: number;
  exp: number;
  iss: string; // the IMS public base URL
  sub: string; // technical account id
  jti: string;
}

export interface IssueTokenInput {
  clientId: string;
  orgId: string;
  technicalAccountId: string;
  scopes: readonly string[];
  /** Defaults to config.accessTokenLifetime. */
  lifetimeSeconds?: number;
}

export interface IssuedToken {
  accessToken: string;
  claims: AccessTokenClaims;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Mints access tokens with the active signing key. */
export interface TokenIssuer {
  issue(input: IssueTokenInput): Promise<IssuedToken>;
  /** Signs the same claims again (RS256 is deterministic, so with the same key this yields the same token; EX-7). */
  reissue(claims: AccessTokenClaims): Promise<IssuedToken>;
}

export type TokenInvalidReason =
  'malformed' | 'bad_signature' | 'unknown_key' | 'expired' | 'wrong_type' | 'wrong_issuer';

/** Verifies tokens this IMS issued (signature with any published key, type, issuer, expiry). Revocation is separate. */
export interface TokenVerifier {
  verify(
    token: string,
  ): Promise<{ valid: true; claims: AccessTokenClaims } | { valid: false; reason: TokenInvalidReason }>;
}

/** Public view of the key ring for `/ims/keys` and `/ims/keys/{kid}.cer`. */
export interface PublishedKeys {
  jwks(): { keys: Array<Record<string, unknown>> };
  certificatePem(kid: string): string | undefined;
}
