import { createAssertion } from './assertion.js';
import { requestClientCredentialsToken } from './client-credentials.js';
import { systemClock, type Clock } from './clock.js';
import { resolveCredentials } from './credentials/resolve.js';
import type { Credentials, ResolvedCredentials } from './credentials/types.js';
import { resolveEnvironment, type Environment, type EnvironmentName } from './environments.js';
import { AbortedError } from './errors.js';
import { exchangeJwt } from './exchange.js';
import type { AccessToken, FetchLike } from './ims-request.js';
import { createProxyAwareFetch } from './proxy.js';
import type { RetryPolicy } from './retry.js';
import { isAccessToken, isFresh, tokenCacheKey, type TokenCacheStore } from './token-cache.js';

/**
 * Options of {@link TokenManager} (and of `createPartnerClient`).
 *
 * @example
 * ```ts
 * const options: TokenManagerOptions = { environment: 'sandbox', credentials: credentialsFromEnv() };
 * ```
 */
export interface TokenManagerOptions {
  /** `sandbox`, `production`, or `{ imsUrl, apiUrl }`. */
  environment: EnvironmentName | Environment;
  credentials: Credentials | ResolvedCredentials;
  /** Default: the global fetch, proxy-aware (see `createProxyAwareFetch`). */
  fetch?: FetchLike | undefined;
  /** Default: the system clock. */
  clock?: Clock | undefined;
  /** Per-attempt IMS timeout; default 10 s. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** For the backoff jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  /** JWT assertion lifetime; default 300 s. */
  assertionLifetimeSeconds?: number | undefined;
  /** Refresh this long before expiry; default min(5 min, 10% of the token's lifetime). */
  refreshMarginMs?: number | undefined;
  /** Shares tokens across processes; the in-memory cache is always used. */
  cacheStore?: TokenCacheStore | undefined;
}

/**
 * Per-call options of {@link TokenManager.getToken}.
 *
 * @example
 * ```ts
 * await manager.getAccessToken({ signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface GetTokenOptions {
  /** Stops waiting (the shared request goes on for other callers). */
  signal?: AbortSignal | undefined;
  /** Ignore cached tokens and get a new one. */
  forceRefresh?: boolean | undefined;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortedError(undefined, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError(undefined, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Gets, caches and refreshes access tokens for one credential. Tokens are refreshed before they expire; concurrent
 * callers share one request (single-flight); failures are never cached.
 *
 * @example
 * ```ts
 * const tokens = new TokenManager({ environment: 'production', credentials: credentialsFromEnv() });
 * const bearer = await tokens.getAccessToken();
 * ```
 */
export class TokenManager {
  /** The validated credentials (private key parsed once). */
  readonly credentials: ResolvedCredentials;
  readonly environment: Environment;
  /** The key under which tokens are kept in `cacheStore`. */
  readonly cacheKey: string;
  readonly #options: TokenManagerOptions;
  readonly #clock: Clock;
  readonly #fetch: FetchLike;
  #current: AccessToken | undefined;
  #inflight: Promise<AccessToken> | undefined;

  constructor(options: TokenManagerOptions) {
    this.environment = resolveEnvironment(options.environment);
    this.credentials = resolveCredentials(options.credentials);
    this.cacheKey = tokenCacheKey(this.environment.imsUrl, this.credentials);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#fetch = options.fetch ?? createProxyAwareFetch();
  }

  /**
   * The bearer token string, from the cache when fresh.
   *
   * @example
   * ```ts
   * const res = await fetch(url, { headers: { authorization: `Bearer ${await tokens.getAccessToken()}` } });
   * ```
   */
  async getAccessToken(options: GetTokenOptions = {}): Promise<string> {
    return (await this.getToken(options)).accessToken;
  }

  /**
   * The token with its expiry, from the cache when fresh.
   *
   * @example
   * ```ts
   * const { accessToken, expiresAt } = await tokens.getToken();
   * ```
   */
  getToken(options: GetTokenOptions = {}): Promise<AccessToken> {
    const current = this.#current;
    if (
      !options.forceRefresh &&
      current &&
      isFresh(current, this.#clock.now(), this.#options.refreshMarginMs)
    ) {
      return Promise.resolve(current);
    }
    if (options.forceRefresh) this.#current = undefined;
    this.#inflight ??= this.#refresh(!options.forceRefresh).finally(() => {
      this.#inflight = undefined;
    });
    return raceAbort(this.#inflight, options.signal);
  }

  /**
   * Forgets the cached token (here and in `cacheStore`). With `accessToken`, only if that is still the cached
   * one, so many callers seeing the same rejected token cause one refresh.
   *
   * @example
   * ```ts
   * if (res.status === 401) await tokens.invalidate(bearer);
   * ```
   */
  async invalidate(accessToken?: string): Promise<void> {
    if (accessToken !== undefined && this.#current && this.#current.accessToken !== accessToken) return;
    this.#current = undefined;
    await this.#options.cacheStore?.delete(this.cacheKey).catch(() => undefined);
  }

  async #refresh(useStore: boolean): Promise<AccessToken> {
    const store = this.#options.cacheStore;
    if (useStore && store) {
      const shared = await store.get(this.cacheKey).catch(() => undefined);
      if (isAccessToken(shared) && isFresh(shared, this.#clock.now(), this.#options.refreshMarginMs)) {
        this.#current = shared;
        return shared;
      }
    }
    let token: AccessToken;
    try {
      token = await this.#request();
    } catch (error) {
      // A proactive refresh that fails leaves a still-valid token usable; the next call tries again.
      const previous = this.#current;
      if (previous && this.#clock.now() < previous.expiresAt) return previous;
      throw error;
    }
    this.#current = token;
    await store?.set(this.cacheKey, token, token.expiresAt - this.#clock.now()).catch(() => undefined);
    return token;
  }

  #request(): Promise<AccessToken> {
    const o = this.#options;
    const common = {
      imsUrl: this.environment.imsUrl,
      fetch: this.#fetch,
      clock: this.#clock,
      timeoutMs: o.timeoutMs,
      retry: o.retry,
      random: o.random,
    };
    const c = this.credentials;
    if (c.type === 'oauth_server_to_server') {
      return requestClientCredentialsToken({
        ...common,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        scopes: c.scopes,
      });
    }
    return exchangeJwt({
      ...common,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      assertion: () =>
        createAssertion({
          imsUrl: this.environment.imsUrl,
          clientId: c.clientId,
          orgId: c.orgId,
          technicalAccountId: c.technicalAccountId,
          privateKey: c.privateKey,
          metaScopes: c.metaScopes,
          lifetimeSeconds: o.assertionLifetimeSeconds,
          now: this.#clock.now(),
        }),
    });
  }
}
