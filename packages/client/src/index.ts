/**
 * `@pims/client`: the Partner API SDK. Tokens (JWT exchange and OAuth server-to-server), caching with proactive
 * refresh, retries, and authenticated Partner API calls.
 *
 * @example
 * ```ts
 * import { createPartnerClient, credentialsFromEnv } from '@pims/client';
 * const client = createPartnerClient({ environment: 'sandbox', credentials: credentialsFromEnv() });
 * const res = await client.fetch('/v3/customers');
 * ```
 * @packageDocumentation
 */
export { createPartnerClient } from './partner-client.js';
export type {
  PartnerClient,
  PartnerClientOptions,
  PartnerRequestInit,
  PingResult,
} from './partner-client.js';
export { TokenManager } from './token-manager.js';
export type { GetTokenOptions, TokenManagerOptions } from './token-manager.js';
export { isFresh, refreshMargin, tokenCacheKey, MAX_DEFAULT_REFRESH_MARGIN_MS } from './token-cache.js';
export type { TokenCacheStore } from './token-cache.js';
export { createAssertion, assertionClaims, DEFAULT_ASSERTION_LIFETIME_SECONDS } from './assertion.js';
export type { AssertionOptions } from './assertion.js';
export { exchangeJwt } from './exchange.js';
export type { ExchangeJwtOptions } from './exchange.js';
export { requestClientCredentialsToken } from './client-credentials.js';
export type { ClientCredentialsOptions } from './client-credentials.js';
export { DEFAULT_IMS_TIMEOUT_MS } from './ims-request.js';
export type { AccessToken, FetchLike, ImsRequestOptions } from './ims-request.js';
export { loadWorkspaceCredentials, readWorkspaceFile } from './credentials/workspace.js';
export type { WorkspaceCredentialOptions } from './credentials/workspace.js';
export { credentialsFromEnv } from './credentials/env.js';
export { resolveCredentials, OBJECT_FIELD_NAMES } from './credentials/resolve.js';
export type { CredentialFieldNames } from './credentials/resolve.js';
export { parsePrivateKey } from './credentials/private-key.js';
export type {
  Credentials,
  CredentialType,
  JwtCredentials,
  OAuthServerToServerCredentials,
  ResolvedCredentials,
} from './credentials/types.js';
export {
  ENVIRONMENTS,
  PARTNER_METASCOPE,
  audienceFor,
  metascopeClaim,
  resolveEnvironment,
} from './environments.js';
export type { Environment, EnvironmentName } from './environments.js';
export { createProxyAwareFetch, proxyFor, bypassesProxy } from './proxy.js';
export type { UndiciModule } from './proxy.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, isRetryable, parseRetryAfter, withRetry } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export {
  AbortedError,
  ConfigurationError,
  CredentialError,
  ImsError,
  NetworkError,
  PartnerApiError,
  PimsError,
  TimeoutError,
} from './errors.js';
export type { CredentialIssue, ImsErrorDetails, PimsErrorCode } from './errors.js';
