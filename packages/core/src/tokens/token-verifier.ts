/**
 * Verifies access tokens this IMS issued: RS256 only, the key picked by `kid` among the published keys and nowhere
 * else (`jku`, `jwk`, `x5c` refused; `x5u` is only a name and never fetched), then type, issuer and expiry.
 * Revocation is checked elsewhere.
 */
import {
  compactVerify,
  decodeProtectedHeader,
  errors,
  importJWK,
  type CryptoKey,
  type ProtectedHeaderParameters,
} from 'jose';
import type { Config } from '../config/config-types.js';
import type { AccessTokenClaims, PublishedKeys, TokenInvalidReason, TokenVerifier } from './token-types.js';

export interface TokenVerifierOptions {
  /** The keys to trust: usually the signing-key ring, or a JWKS fetched from `/ims/keys`. */
  keys: Pick<PublishedKeys, 'jwks'>;
  /** Milliseconds since the epoch. */
  clock: () => number;
  config: Pick<Config, 'imsUrl' | 'clockSkew'>;
}

type Verdict = Awaited<ReturnType<TokenVerifier['verify']>>;

const MAX_TOKEN_LENGTH = 16 * 1024;
const FORBIDDEN_HEADER_MEMBERS = ['jku', 'jwk', 'x5c'] as const;
const STRING_CLAIMS = [
  'id',
  'client_id',
  'user_id',
  'as',
  'aa_id',
  'org',
  'scope',
  'created_at',
  'expires_in',
  'iss',
  'sub',
  'jti',
] as const;
const decoder = new TextDecoder();

const invalid = (reason: TokenInvalidReason): Verdict => ({ valid: false, reason });

function headerOf(token: string): ProtectedHeaderParameters | undefined {
  if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return undefined;
  try {
    return decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
}

function parseClaims(payload: Uint8Array): AccessTokenClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const claims = value as Record<string, unknown>;
  if (STRING_CLAIMS.some((name) => typeof claims[name] !== 'string')) return undefined;
  if (!Number.isSafeInteger(claims.exp) || !Number.isSafeInteger(claims.iat)) return undefined;
  if (typeof claims.type !== 'string') return undefined;
  return claims as unknown as AccessTokenClaims;
}

interface CachedKey {
  n: unknown;
  e: unknown;
  key: Promise<CryptoKey>;
}

/** A `TokenVerifier` over the published keys; imported public keys are cached by `kid` (and re-imported if changed). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { keys, clock, config } = options;
  const imported = new Map<string, CachedKey>();

  function publicKey(kid: string): Promise<CryptoKey> | undefined {
    const jwk = keys.jwks().keys.find((candidate) => candidate.kid === kid);
    if (jwk === undefined || jwk.kty !== 'RSA') {
      imported.delete(kid);
      return undefined;
    }
    const cached = imported.get(kid);
    if (cached !== undefined && cached.n === jwk.n && cached.e === jwk.e) return cached.key;
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
    const key = importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256').then((result) => {
      if (result instanceof Uint8Array) throw new TypeError('an RSA JWK imported as a secret');
      return result;
    });
    imported.set(kid, { n: jwk.n, e: jwk.e, key });
    return key;
  }

  return {
    async verify(token: string): Promise<Verdict> {
      const header = headerOf(token);
      if (header === undefined) return invalid('malformed');
      if (FORBIDDEN_HEADER_MEMBERS.some((name) => name in header)) return invalid('malformed');
      if (header.alg !== 'RS256') return invalid('bad_signature');
      if (typeof header.kid !== 'string') return invalid('unknown_key');
      const keyPromise = publicKey(header.kid);
      if (keyPromise === undefined) return invalid('unknown_key');

      let payload: Uint8Array;
      try {
        ({ payload } = await compactVerify(token, await keyPromise, { algorithms: ['RS256'] }));
      } catch (err) {
        if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('bad_signature');
        if (err instanceof errors.JOSEError) return invalid('malformed');
        throw err;
      }

      const claims = parseClaims(payload);
      if (claims === undefined) return invalid('malformed');
      if (claims.type !== 'access_token') return invalid('wrong_type');
      if (claims.iss !== config.imsUrl) return invalid('wrong_issuer');
      if (claims.exp * 1000 + config.clockSkew * 1000 <= clock()) return invalid('expired');
      return { valid: true, claims };
    },
  };
}
