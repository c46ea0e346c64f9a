/**
 * The gateway's checks, in the order of DESIGN §3.4: header sizes → bearer syntax → signature → type, expiry, issuer →
 * revocation → `X-Api-Key` → metascope → rate limit. A token seen before skips the signature check (verified-token
 * cache); everything after it runs on every request.
 */
import { pimsError, type PimsError } from '@pims/contracts';
import type { Clock } from '../gateway-options.js';
import type { ImsKeySet } from '../keys/ims-key-set.js';
import type { RevocationList } from '../revocation/revocation-list.js';
import { hasQueryToken, parseBearer } from './bearer.js';
import { scanHeaders } from './header-scan.js';
import type { RateLimiter } from './rate-limiter.js';
import { tokenKey, type TokenCache } from './token-cache.js';
import { verifyAccessToken, type VerifyFailure } from './verify-token.js';
import type { VerifiedToken } from './verified-token.js';

/** What the authenticator reads of a request. */
export interface AuthRequest {
  rawUrl: string;
  rawHeaders: readonly string[];
  authorization: string | undefined;
  apiKey: string | string[] | undefined;
}

export type AuthFailure = {
  ok: false;
  error: PimsError;
  /** Why, for logs only (never rendered). */
  reason: string;
};
export type AuthResult = { ok: true; token: VerifiedToken } | AuthFailure;

export interface AuthenticatorDeps {
  issuer: string;
  imsUrl: string;
  maxHeaderBytes: number;
  maxTokenBytes: number;
  clock: Clock;
  keys: ImsKeySet;
  revocations: RevocationList;
  cache: TokenCache;
  rateLimiter: RateLimiter | undefined;
}

export interface Authenticator {
  /** Every check (protected routes). */
  authenticate(request: AuthRequest): AuthResult | Promise<AuthResult>;
  /** The token checks only, up to revocation (`/ping` with an `Authorization` header). */
  checkToken(request: AuthRequest): AuthResult | Promise<AuthResult>;
}

const fail = (code: Parameters<typeof pimsError>[0], reason: string): AuthFailure => ({
  ok: false,
  error: pimsError(code),
  reason,
});

const INVALID: Record<
  VerifyFailure | 'expired' | 'revoked' | 'syntax' | 'duplicate' | 'too_long' | 'query',
  AuthFailure
> = Object.fromEntries(
  [
    'malformed',
    'header',
    'unknown_key',
    'bad_signature',
    'claims',
    'wrong_type',
    'wrong_issuer',
    'expired',
    'revoked',
    'syntax',
    'duplicate',
    'too_long',
    'query',
  ].map((reason) => [reason, fail('partner.token_invalid', reason)]),
) as Record<
  VerifyFailure | 'expired' | 'revoked' | 'syntax' | 'duplicate' | 'too_long' | 'query',
  AuthFailure
>;
const MISSING = fail('partner.token_missing', 'missing');
const TOO_LARGE = fail('partner.headers_too_large', 'headers_too_large');
const API_KEY = fail('partner.api_key_invalid', 'api_key');
const NO_METASCOPE = fail('partner.forbidden', 'metascope');

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const verifyDeps = {
    issuer: deps.issuer,
    imsUrl: deps.imsUrl,
    resolveKey: (kid: string) => deps.keys.resolve(kid),
  };

  /** Steps up to the token itself; returns the token string or a failure. */
  function bearerOf(request: AuthRequest): string | AuthFailure {
    const scan = scanHeaders(request.rawHeaders);
    if (scan.bytes > deps.maxHeaderBytes) return TOO_LARGE;
    if (scan.authorizationCount === 0 || request.authorization === undefined) return MISSING;
    if (scan.authorizationCount > 1) return INVALID.duplicate;
    if (hasQueryToken(request.rawUrl)) return INVALID.query;
    if (request.authorization.length > deps.maxTokenBytes + 7) return INVALID.too_long;
    const token = parseBearer(request.authorization);
    if (token === undefined) return INVALID.syntax;
    return token;
  }

  function live(token: VerifiedToken): AuthResult {
    const now = deps.clock.now();
    if (token.expiresAt <= now) return INVALID.expired;
    if (deps.revocations.isRevoked(token, now)) return INVALID.revoked;
    return { ok: true, token };
  }

  function checkToken(request: AuthRequest): AuthResult | Promise<AuthResult> {
    const token = bearerOf(request);
    if (typeof token !== 'string') return token;
    const now = deps.clock.now();
    const recent = deps.cache.recent(token, now);
    if (recent !== undefined && deps.keys.get(recent.kid) !== undefined) return live(recent);
    const key = tokenKey(token);
    const cached = deps.cache.get(key, now, token);
    if (cached !== undefined && deps.keys.get(cached.kid) !== undefined) return live(cached);
    return verifyAccessToken(verifyDeps, token).then((result) => {
      if (!result.ok) return INVALID[result.reason];
      deps.cache.set(key, result.token);
      return live(result.token);
    });
  }

  function afterToken(request: AuthRequest, result: AuthResult): AuthResult | Promise<AuthResult> {
    if (!result.ok) return result;
    const { token } = result;
    if (request.apiKey !== token.clientId) return API_KEY;
    if (!token.hasMetascope) return NO_METASCOPE;
    if (deps.rateLimiter === undefined) return result;
    const decision = deps.rateLimiter.hit(token.clientId);
    const decide = (d: Awaited<typeof decision>): AuthResult =>
      d.allowed
        ? result
        : {
            ok: false,
            error: pimsError('partner.rate_limited', { retryAfterSeconds: d.retryAfterSeconds }),
            reason: 'rate_limited',
          };
    return decision instanceof Promise ? decision.then(decide) : decide(decision);
  }

  return {
    checkToken,
    authenticate(request) {
      const result = checkToken(request);
      return result instanceof Promise
        ? result.then((r) => afterToken(request, r))
        : afterToken(request, result);
    },
  };
}
