import { systemClock } from './clock.js';
import { PARTNER_METASCOPE } from './environments.js';
import { requestImsToken, type AccessToken, type ImsRequestOptions } from './ims-request.js';
import { createProxyAwareFetch } from './proxy.js';

/**
 * Options of {@link requestClientCredentialsToken}.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = { imsUrl, clientId, clientSecret, scopes: ['ent_partners_sdk'] };
 * ```
 */
export interface ClientCredentialsOptions extends ImsRequestOptions {
  clientId: string;
  clientSecret: string;
  /** Sent comma-separated; default `["ent_partners_sdk"]`. */
  scopes?: readonly string[] | undefined;
}

/**
 * OAuth server-to-server: `POST {ims}/ims/token/v3` with `grant_type=client_credentials`, `client_id`,
 * `client_secret` and `scope` (comma-separated), all in the urlencoded body. `expires_in` is in seconds.
 * Retries network errors, 5xx and 429.
 *
 * @example
 * ```ts
 * const token = await requestClientCredentialsToken({
 *   imsUrl: 'https://ims-na1.adobelogin.com', clientId, clientSecret, scopes: ['ent_partners_sdk'],
 * });
 * ```
 */
export function requestClientCredentialsToken(options: ClientCredentialsOptions): Promise<AccessToken> {
  return requestImsToken(
    {
      ...options,
      path: '/ims/token/v3',
      expiresInUnit: 's',
      form: () =>
        Promise.resolve({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: (options.scopes ?? [PARTNER_METASCOPE]).join(','),
        }),
    },
    { clock: systemClock, fetch: options.fetch ?? createProxyAwareFetch() },
  );
}
