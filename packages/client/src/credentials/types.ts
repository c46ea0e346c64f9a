import type { KeyObject } from 'node:crypto';

/**
 * How a credential gets its token: a signed JWT exchanged at `/ims/exchange/jwt` (Adobe's "Service Account (JWT)"),
 * or OAuth server-to-server `client_credentials` at `/ims/token/v3`.
 *
 * @example
 * ```ts
 * const type: CredentialType = 'oauth_server_to_server';
 * ```
 */
export type CredentialType = 'jwt' | 'oauth_server_to_server';

/**
 * A Service Account (JWT) credential. `privateKey` is a PEM string (PKCS#8, encrypted PKCS#8 with `passphrase`,
 * or PKCS#1) or an already parsed `KeyObject`; the SDK parses a PEM once.
 *
 * @example
 * ```ts
 * const jwt: JwtCredentials = {
 *   type: 'jwt', clientId: 'abc', clientSecret: 'p8e-…', orgId: '12AB@AdobeOrg',
 *   technicalAccountId: '34CD@techacct.adobe.com', privateKey: readFileSync('private.key', 'utf8'),
 *   metaScopes: ['ent_partners_sdk'],
 * };
 * ```
 */
export interface JwtCredentials {
  type: 'jwt';
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId: string;
  technicalAccountEmail?: string | undefined;
  privateKey: string | KeyObject;
  passphrase?: string | undefined;
  /** Metascope names (e.g. `ent_partners_sdk`) or full claim URLs. Defaults to `["ent_partners_sdk"]`. */
  metaScopes?: readonly string[] | undefined;
}

/**
 * An OAuth server-to-server credential.
 *
 * @example
 * ```ts
 * const oauth: OAuthServerToServerCredentials = {
 *   type: 'oauth_server_to_server', clientId: 'abc', clientSecret: 'p8e-…', orgId: '12AB@AdobeOrg',
 *   scopes: ['ent_partners_sdk'],
 * };
 * ```
 */
export interface OAuthServerToServerCredentials {
  type: 'oauth_server_to_server';
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId?: string | undefined;
  technicalAccountEmail?: string | undefined;
  /** Scopes sent comma-separated. Defaults to `["ent_partners_sdk"]`. */
  scopes?: readonly string[] | undefined;
}

/**
 * Either kind of credential, as given by the caller.
 *
 * @example
 * ```ts
 * const credentials: Credentials = credentialsFromEnv();
 * ```
 */
export type Credentials = JwtCredentials | OAuthServerToServerCredentials;

/**
 * Credentials after validation: the private key parsed, scopes filled in, the passphrase gone.
 *
 * @example
 * ```ts
 * const ready: ResolvedCredentials = normalizeCredentials(credentials);
 * ```
 */
export type ResolvedCredentials =
  | (Omit<JwtCredentials, 'privateKey' | 'passphrase' | 'metaScopes'> & {
      privateKey: KeyObject;
      metaScopes: readonly string[];
    })
  | (Omit<OAuthServerToServerCredentials, 'scopes'> & { scopes: readonly string[] });
