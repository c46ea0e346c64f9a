import { systemClock } from './clock.js';
import { requestImsToken, type AccessToken, type ImsRequestOptions } from './ims-request.js';
import { createProxyAwareFetch } from './proxy.js';

/**
 * Options of {@link exchangeJwt}.
 *
 * @example
 * ```ts
 * const options: ExchangeJwtOptions = { imsUrl, clientId, clientSecret, assertion: () => createAssertion(a) };
 * ```
 */
export interface ExchangeJwtOptions extends ImsRequestOptions {
  clientId: string;
  clientSecret: string;
  /**
   * The signed assertion, or a function making a fresh one. Pass a function when retries are on: an assertion
   * with a `jti` is single-use, so a retry after a lost answer needs a new one.
   */
  assertion: string | (() => Promise<string>);
}

/**
 * Exchanges a JWT assertion for an access token: `POST {ims}/ims/exchange/jwt` with `client_id`, `client_secret`,
 * `jwt_token` (urlencoded). The IMS's `expires_in` is in milliseconds. Retries network errors, 5xx and 429.
 *
 * @example
 * ```ts
 * const token = await exchangeJwt({
 *   imsUrl: 'https://ims-na1.adobelogin.com', clientId, clientSecret,
 *   assertion: () => createAssertion({ imsUrl: 'https://ims-na1.adobelogin.com', clientId, orgId, technicalAccountId, privateKey }),
 * });
 * console.log(token.accessToken, new Date(token.expiresAt));
 * ```
 */
export function exchangeJwt(options: ExchangeJwtOptions): Promise<AccessToken> {
  const { assertion } = options;
  return requestImsToken(
    {
      ...options,
      path: '/ims/exchange/jwt',
      expiresInUnit: 'ms',
      form: async () => ({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        jwt_token: typeof assertion === 'string' ? assertion : await assertion(),
      }),
    },
    { clock: systemClock, fetch: options.fetch ?? createProxyAwareFetch() },
  );
}
