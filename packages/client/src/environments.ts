import { ConfigurationError } from './errors.js';

/**
 * The metascope every Partner API credential carries.
 *
 * @example
 * ```ts
 * credentialsFromEnv({ ...process.env, PIMS_SCOPES: PARTNER_METASCOPE });
 * ```
 */
export const PARTNER_METASCOPE = 'ent_partners_sdk';

/**
 * Where the IMS and the Partner API live.
 *
 * @example
 * ```ts
 * const local: Environment = { imsUrl: 'http://127.0.0.1:8180', apiUrl: 'http://127.0.0.1:8181' };
 * ```
 */
export interface Environment {
  /** IMS base URL, no trailing slash, e.g. `https://ims-na1.adobelogin.com`. */
  imsUrl: string;
  /** Partner API base URL, no trailing slash, e.g. `https://partners.adobe.io`. */
  apiUrl: string;
}

/**
 * The named environments of DESIGN.md §1.
 *
 * @example
 * ```ts
 * const name: EnvironmentName = 'sandbox';
 * ```
 */
export type EnvironmentName = 'sandbox' | 'production';

/**
 * Adobe's sandbox and production endpoints.
 *
 * @example
 * ```ts
 * ENVIRONMENTS.production.apiUrl; // "https://partners.adobe.io"
 * ```
 */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, Readonly<Environment>>> = Object.freeze({
  sandbox: Object.freeze({
    imsUrl: 'https://ims-na1-stg1.adobelogin.com',
    apiUrl: 'https://partnersandbox-stage.adobe.io',
  }),
  production: Object.freeze({
    imsUrl: 'https://ims-na1.adobelogin.com',
    apiUrl: 'https://partners.adobe.io',
  }),
});

function baseUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(`environment.${field} must be a non-empty URL`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`environment.${field} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`environment.${field} must be an http(s) URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError(`environment.${field} must not carry a query, fragment or user info`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Turns a preset name or custom URLs into a normalised {@link Environment} (no trailing slashes).
 *
 * @example
 * ```ts
 * resolveEnvironment('sandbox').imsUrl;                      // "https://ims-na1-stg1.adobelogin.com"
 * resolveEnvironment({ imsUrl: 'http://127.0.0.1:8180/', apiUrl: 'http://127.0.0.1:8181' }).imsUrl;
 * // "http://127.0.0.1:8180"
 * ```
 */
export function resolveEnvironment(environment: EnvironmentName | Environment): Environment {
  if (typeof environment === 'string') {
    const preset = (ENVIRONMENTS as Record<string, Environment | undefined>)[environment];
    if (!preset) {
      throw new ConfigurationError(
        `Unknown environment "${environment}": use "sandbox", "production" or { imsUrl, apiUrl }`,
      );
    }
    return { ...preset };
  }
  if (typeof environment !== 'object' || environment === null) {
    throw new ConfigurationError('environment must be "sandbox", "production" or { imsUrl, apiUrl }');
  }
  return { imsUrl: baseUrl(environment.imsUrl, 'imsUrl'), apiUrl: baseUrl(environment.apiUrl, 'apiUrl') };
}

/**
 * The assertion audience for a client: `{ims}/c/{client_id}`.
 *
 * @example
 * ```ts
 * audienceFor('https://ims-na1.adobelogin.com', 'abc'); // "https://ims-na1.adobelogin.com/c/abc"
 * ```
 */
export function audienceFor(imsUrl: string, clientId: string): string {
  return `${imsUrl.replace(/\/+$/, '')}/c/${clientId}`;
}

/**
 * The claim name of a metascope: `{ims}/s/{metascope}`. A metascope already given as a full URL is kept.
 *
 * @example
 * ```ts
 * metascopeClaim('https://ims-na1.adobelogin.com', 'ent_partners_sdk');
 * // "https://ims-na1.adobelogin.com/s/ent_partners_sdk"
 * ```
 */
export function metascopeClaim(imsUrl: string, metascope: string): string {
  if (/^https?:\/\//.test(metascope)) return metascope;
  return `${imsUrl.replace(/\/+$/, '')}/s/${metascope}`;
}
