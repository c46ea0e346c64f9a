/**
 * The IMS protocol services, wired once per process by the composition root: token exchange, client credentials,
 * validation, revocation and the revocation feed, over one client directory, replay store, rate limiter and audit log.
 */
import type { Stores } from '../stores/stores.js';
import type { TokenIssuer, TokenVerifier } from '../tokens/token-types.js';
import { createAuditLog, type AuditLog, type AuditLogDeps } from './audit/audit-log.js';
import type { VerifySecret } from './clients/authenticate-client.js';
import { createClientDirectory, type ClientDirectory } from './clients/client-directory.js';
import { createSecretUseLog, type SecretUseLog, type SecretUseLogOptions } from './clients/secret-use-log.js';
import { systemClock, type Clock, type ImsSettings } from './ims-settings.js';
import { createMemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import type { ReplayStore } from './replay/replay-store.js';
import { createStorageReplayStore } from './replay/storage-replay-store.js';
import { createRevocationIndex } from './revocation/revocation-index.js';
import {
  invalidateToken,
  revocationFeed,
  revokeCredential,
  revokeOrg,
  validateToken,
  type InvalidateTokenInput,
  type RevocationDeps,
  type RevocationFeed,
  type ValidateTokenInput,
  type ValidationResult,
} from './revocation/revocation-service.js';
import {
  clientCredentials,
  type ClientCredentialsInput,
  type ClientCredentialsToken,
} from './token-exchange/client-credentials.js';
import { exchangeJwt, type ExchangedToken, type JwtExchangeInput } from './token-exchange/jwt-exchange.js';
import type { RequestContext, TokenServiceDeps } from './token-exchange/token-service-deps.js';
import type { Revocation } from '../stores/records.js';

export type ImsStores = Pick<
  Stores,
  | 'credentials'
  | 'organizations'
  | 'clientSecrets'
  | 'certificates'
  | 'usedAssertions'
  | 'revocations'
  | 'auditEvents'
>;

export interface ImsServicesDeps {
  stores: ImsStores;
  settings: ImsSettings;
  issuer: TokenIssuer;
  verifier: TokenVerifier;
  /** Constant-time check of a client secret against its stored keyed hash (`verifyKeyedHash`). */
  verifySecret: VerifySecret;
  clock?: Clock;
  /** Default: the `used_assertions` table. */
  replay?: ReplayStore;
  /** Default: in memory. */
  rateLimiter?: RateLimiter;
  /** Client cache lifetime, ≤ 5000 ms (default 5000). */
  clientCacheTtlMs?: number;
  /** An audit event that could not be written (log it). */
  onAuditLost?: AuditLogDeps['onLost'];
  /** Last-use times of client secrets that could not be written (log it; they are dropped). */
  onSecretUseLost?: SecretUseLogOptions['onLost'];
  /** How often last-use times of client secrets are written (default 15 s; 0: only by `flush()` and `close()`). */
  secretUseFlushMs?: number;
}

export interface ImsServices {
  exchangeJwt(input: JwtExchangeInput, context: RequestContext): Promise<ExchangedToken>;
  clientCredentials(input: ClientCredentialsInput, context: RequestContext): Promise<ClientCredentialsToken>;
  validateToken(input: ValidateTokenInput): Promise<ValidationResult>;
  invalidateToken(input: InvalidateTokenInput, context: RequestContext): Promise<Revocation | undefined>;
  revocationFeed(since: number, limit?: number): Promise<RevocationFeed>;
  /** For the console: all tokens of a credential issued so far are revoked; its cache entry is dropped. */
  revokeCredential(credential: { orgId: string; clientId: string }): Promise<Revocation>;
  /** For the console: all tokens of an org issued so far are revoked. */
  revokeOrg(orgId: string): Promise<Revocation>;
  /** Cached client lookups; call `invalidate(clientId)` after changing a credential, its secrets or certificates. */
  readonly clients: ClientDirectory;
  readonly audit: AuditLog;
  /** Last use of client secrets, noted by the token endpoints and written in the background. */
  readonly secretUse: Pick<SecretUseLog, 'flush'>;
  /** Writes pending secret uses and audit events and closes the replay store and rate limiter. */
  close(): Promise<void>;
}

export function createImsServices(deps: ImsServicesDeps): ImsServices {
  const clock = deps.clock ?? systemClock;
  const { stores } = deps;
  const clients = createClientDirectory({ stores, clock, ttlMs: deps.clientCacheTtlMs });
  const audit = createAuditLog({ store: stores.auditEvents, clock, onLost: deps.onAuditLost });
  const replay = deps.replay ?? createStorageReplayStore(stores.usedAssertions, clock);
  const rateLimiter = deps.rateLimiter ?? createMemoryRateLimiter({ clock });
  const revocationIndex = createRevocationIndex({ store: stores.revocations, clock });
  const secretUse = createSecretUseLog({
    store: stores.clientSecrets,
    clock,
    flushIntervalMs: deps.secretUseFlushMs,
    onLost: deps.onSecretUseLost,
  });
  const tokenDeps: TokenServiceDeps = {
    settings: deps.settings,
    clock,
    clients,
    verifySecret: deps.verifySecret,
    secretUse,
    rateLimiter,
    replay,
    issuer: deps.issuer,
    revocations: revocationIndex,
    audit,
  };
  const revocationDeps: RevocationDeps = {
    settings: deps.settings,
    clock,
    clients,
    verifySecret: deps.verifySecret,
    secretUse,
    verifier: deps.verifier,
    rateLimiter,
    revocations: stores.revocations,
    index: revocationIndex,
    audit,
  };
  return {
    exchangeJwt: (input, context) => exchangeJwt(tokenDeps, input, context),
    clientCredentials: (input, context) => clientCredentials(tokenDeps, input, context),
    validateToken: (input) => validateToken(revocationDeps, input),
    invalidateToken: (input, context) => invalidateToken(revocationDeps, input, context),
    revocationFeed: (since, limit) => revocationFeed(revocationDeps, since, limit),
    revokeCredential: (credential) => revokeCredential(revocationDeps, credential),
    revokeOrg: (orgId) => revokeOrg(revocationDeps, orgId),
    clients,
    audit,
    secretUse,
    async close() {
      await secretUse.close();
      await audit.flush();
      await replay.close?.();
      await rateLimiter.close?.();
    },
  };
}
