import { createHash } from 'node:crypto';
import type { ResolvedCredentials } from './credentials/types.js';
import type { AccessToken } from './ims-request.js';

/**
 * A shared token cache (Redis, a file, a database…) so several processes reuse one token. Values are plain JSON.
 * Errors thrown by a store are ignored: the SDK then behaves as if the entry were missing.
 *
 * @example
 * ```ts
 * const redisStore: TokenCacheStore = {
 *   get: async (key) => { const v = await redis.get(key); return v ? JSON.parse(v) : undefined; },
 *   set: async (key, token, ttlMs) => { await redis.set(key, JSON.stringify(token), 'PX', ttlMs); },
 *   delete: async (key) => { await redis.del(key); },
 * };
 * ```
 */
export interface TokenCacheStore {
  get(key: string): Promise<AccessToken | undefined>;
  /** `ttlMs` is the time until the token expires. */
  set(key: string, token: AccessToken, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * The largest default refresh margin: 5 minutes.
 *
 * @example
 * ```ts
 * new TokenManager({ environment, credentials, refreshMarginMs: 2 * MAX_DEFAULT_REFRESH_MARGIN_MS });
 * ```
 */
export const MAX_DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * How long before expiry a token is refreshed: `configured` if given, else the smaller of 5 minutes and 10% of
 * the token's lifetime.
 *
 * @example
 * ```ts
 * refreshMargin({ obtainedAt: 0, expiresAt: 86_400_000 } as AccessToken); // 300000
 * refreshMargin({ obtainedAt: 0, expiresAt: 600_000 } as AccessToken);    // 60000
 * ```
 */
export function refreshMargin(token: AccessToken, configured?: number): number {
  if (configured !== undefined) return configured;
  return Math.min(MAX_DEFAULT_REFRESH_MARGIN_MS, Math.floor((token.expiresAt - token.obtainedAt) / 10));
}

/**
 * Whether a token is still good to hand out at `now` (before its refresh margin).
 *
 * @example
 * ```ts
 * if (!isFresh(token, Date.now())) token = await manager.getToken({ forceRefresh: true });
 * ```
 */
export function isFresh(token: AccessToken, now: number, configuredMargin?: number): boolean {
  return now < token.expiresAt - refreshMargin(token, configuredMargin);
}

/**
 * A cache key for a credential and IMS: a hash of the IMS URL, type, client, org, technical account and scopes,
 * never the secret.
 *
 * @example
 * ```ts
 * tokenCacheKey('https://ims-na1.adobelogin.com', credentials); // "pims-token:v1:3f1c…"
 * ```
 */
export function tokenCacheKey(imsUrl: string, credentials: ResolvedCredentials): string {
  const scopes = credentials.type === 'jwt' ? credentials.metaScopes : credentials.scopes;
  const parts = [
    imsUrl,
    credentials.type,
    credentials.clientId,
    credentials.orgId,
    credentials.technicalAccountId ?? '',
  ];
  const digest = createHash('sha256')
    .update(JSON.stringify([...parts, [...scopes].sort()]))
    .digest('hex')
    .slice(0, 32);
  return `pims-token:v1:${digest}`;
}

/** Checks that a value read from a store is a usable token. */
export function isAccessToken(value: unknown): value is AccessToken {
  const token = value as Partial<AccessToken> | undefined;
  return (
    typeof token === 'object' &&
    token !== null &&
    typeof token.accessToken === 'string' &&
    token.accessToken !== '' &&
    typeof token.expiresAt === 'number' &&
    typeof token.obtainedAt === 'number'
  );
}
