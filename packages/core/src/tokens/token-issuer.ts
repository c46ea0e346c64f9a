/**
 * Mints IMS access tokens (DESIGN.md §3.3) with the active signing key. The header and the claims are written in a
 * fixed member order and RS256 is deterministic, so signing the same claims with the same key gives the same bytes
 * (EX-7: an assertion presented again gets the same token back).
 */
import { randomUUID } from 'node:crypto';
import { signRs256 } from '@pims/contracts/jws';
import type { Config } from '../config/config-types.js';
import type { ActiveSigner } from '../signing-keys/signing-key-ring.js';
import type { AccessTokenClaims, IssueTokenInput, IssuedToken, TokenIssuer } from './token-types.js';

export interface TokenIssuerOptions {
  /** Usually the signing-key ring. */
  keyRing: { activeSigner(): ActiveSigner };
  /** Milliseconds since the epoch. */
  clock: () => number;
  config: Pick<Config, 'imsUrl' | 'imsName' | 'accessTokenLifetime'>;
  /** Token ids (`id` = `jti`); default `randomUUID`. */
  newId?: () => string;
}

/** The claims in the order they are written; members not listed here are never signed. */
export function canonicalClaims(claims: AccessTokenClaims): AccessTokenClaims {
  return {
    id: claims.id,
    type: claims.type,
    client_id: claims.client_id,
    user_id: claims.user_id,
    as: claims.as,
    aa_id: claims.aa_id,
    org: claims.org,
    scope: claims.scope,
    created_at: claims.created_at,
    expires_in: claims.expires_in,
    iat: claims.iat,
    exp: claims.exp,
    iss: claims.iss,
    sub: claims.sub,
    jti: claims.jti,
  };
}

/** When a token with these claims expires, in ms: `created_at + expires_in`, else `exp`. */
function expiresAtOf(claims: AccessTokenClaims): number {
  const createdAt = Number(claims.created_at);
  const lifetime = Number(claims.expires_in);
  return Number.isSafeInteger(createdAt) && Number.isSafeInteger(lifetime)
    ? createdAt + lifetime
    : claims.exp * 1000;
}

/**
 * A `TokenIssuer`. `issue()` accepts lifetimes from 1 s up to `config.accessTokenLifetime` (the key ring keeps a
 * retired key published for that long, so a longer-lived token could outlive its key) and throws `RangeError`
 * otherwise.
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const { keyRing, clock, config } = options;
  const newId = options.newId ?? randomUUID;

  async function sign(claims: AccessTokenClaims): Promise<IssuedToken> {
    const canonical = canonicalClaims(claims);
    const { kid, privateKey } = keyRing.activeSigner();
    const header = { alg: 'RS256', kid, x5u: `${kid}.cer`, itt: 'at' };
    const accessToken = await signRs256(header, JSON.stringify(canonical), privateKey);
    return { accessToken, claims: canonical, expiresAt: expiresAtOf(canonical) };
  }

  return {
    async issue(input: IssueTokenInput): Promise<IssuedToken> {
      const lifetime = input.lifetimeSeconds ?? config.accessTokenLifetime;
      if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > config.accessTokenLifetime) {
        throw new RangeError(
          `token lifetime must be an integer from 1 to ${config.accessTokenLifetime} seconds`,
        );
      }
      const now = clock();
      const id = newId();
      const expiresAt = now + lifetime * 1000;
      return sign({
        id,
        type: 'access_token',
        client_id: input.clientId,
        user_id: input.technicalAccountId,
        as: config.imsName,
        aa_id: input.technicalAccountId,
        org: input.orgId,
        scope: input.scopes.join(','),
        created_at: String(now),
        expires_in: String(lifetime * 1000),
        iat: Math.floor(now / 1000),
        exp: Math.floor(expiresAt / 1000),
        iss: config.imsUrl,
        sub: input.technicalAccountId,
        jti: id,
      });
    },

    reissue(claims: AccessTokenClaims): Promise<IssuedToken> {
      return sign(claims);
    },
  };
}
