export { createAuditLog, type AuditEntry, type AuditLog, type AuditLogDeps } from './audit/audit-log.js';
export {
  authenticateClient,
  boundScopes,
  type ClientAuthDeps,
  type VerifySecret,
} from './clients/authenticate-client.js';
export {
  MAX_CLIENT_CACHE_TTL_MS,
  createClientDirectory,
  loadClientRecord,
  type ClientDirectory,
  type ClientDirectoryOptions,
  type ClientRecord,
  type ClientSecretHash,
} from './clients/client-directory.js';
export {
  SECRET_USE_FLUSH_MS,
  SECRET_USE_MIN_WRITE_INTERVAL_MS,
  createSecretUseLog,
  type SecretUseLog,
  type SecretUseLogOptions,
} from './clients/secret-use-log.js';
export {
  generateClientKeyPair,
  type ClientKeyPair,
  type ClientKeyPairOptions,
} from './demo/client-certificate.js';
export {
  DEMO_ADMIN_EMAIL,
  DEMO_CREDENTIAL_NAME,
  DEMO_METASCOPES,
  DEMO_ORG_NAME,
  DEMO_PROJECT_NAME,
  DEMO_SCOPES,
  ensureDemo,
  generateClientSecret,
  type DemoResult,
  type EnsureDemoDeps,
} from './demo/ensure-demo.js';
export { buildWorkspaceFile, type WorkspaceFileInput } from './demo/workspace-file.js';
export { createImsServices, type ImsServices, type ImsServicesDeps, type ImsStores } from './ims-services.js';
export {
  MAX_IAT_AHEAD_SECONDS,
  defaultRateLimits,
  imsSettings,
  systemClock,
  type Clock,
  type ImsSettings,
  type RateLimitRule,
} from './ims-settings.js';
export {
  FIRST_PRUNE_DELAY_MS,
  pruneExpired,
  startPruneJob,
  unrefTimeout,
  type PruneJob,
  type PruneJobOptions,
  type PruneResult,
  type PruneStores,
  type PrunedTable,
  type Schedule,
} from './maintenance/prune-job.js';
export { createMemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limit/memory-rate-limiter.js';
export type { RateLimitDecision, RateLimiter } from './rate-limit/rate-limiter.js';
export { createRedisRateLimiter, type RedisRateLimiterOptions } from './rate-limit/redis-rate-limiter.js';
export { createRedisReplayStore, type RedisReplayStoreOptions } from './replay/redis-replay-store.js';
export type { ReplayEntry, ReplayStore } from './replay/replay-store.js';
export { createStorageReplayStore } from './replay/storage-replay-store.js';
export { createRevocationIndex, type RevocationIndex } from './revocation/revocation-index.js';
export type {
  InvalidateTokenInput,
  RevocationFeed,
  RevocationFeedItem,
  ValidateTokenInput,
  ValidationResult,
} from './revocation/revocation-service.js';
export type { ClientCredentialsInput, ClientCredentialsToken } from './token-exchange/client-credentials.js';
export type { ExchangedToken, JwtExchangeInput } from './token-exchange/jwt-exchange.js';
export type { RequestContext } from './token-exchange/token-service-deps.js';
export { connectRedis, type Redis } from './redis-connection.js';
export * from './console/index.js';
