import type { Secret } from './secret.js';

export const environments = ['sandbox', 'production'] as const;
export type Environment = (typeof environments)[number];

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Where a key comes from: the environment (base64), or a key file generated on first use (development default). */
export type KeySource = { source: 'env'; value: Secret } | { source: 'file'; path: string };

/** The validated, frozen configuration of a process. Durations are seconds; URLs have no trailing slash. */
export interface Config {
  /** Absolute. */
  dataDir: string;
  /** `postgres://…` / `postgresql://…`, or `sqlite:<absolute path>` (`sqlite::memory:` for tests). */
  databaseUrl: string;
  databaseDialect: 'sqlite' | 'postgres';
  redisUrl: string | undefined;
  environment: Environment;
  host: string;
  imsPort: number;
  apiPort: number;
  /** Public base URL of the IMS (token endpoints, `iss`, `aud`). */
  imsUrl: string;
  /** Public base URL of the Partner API gateway. */
  apiUrl: string;
  logLevel: LogLevel;
  /** 32-byte AES key that encrypts stored private keys. */
  keyEncryptionKey: KeySource;
  /** ≥ 32-byte HMAC key for keyed hashes of client secrets and tokens. */
  secretKey: KeySource;
  /** The `as` claim of access tokens. */
  imsName: string;
  orgIdSuffix: string;
  technicalAccountSuffix: string;
  accessTokenLifetime: number;
  assertionMaxLifetime: number;
  clockSkew: number;
  trustProxy: boolean;
  /** Token requests per client per minute. */
  rateLimitClient: number;
  /** Token requests per source address per minute. */
  rateLimitAddress: number;
  /** How often the gateway polls the revocation feed. */
  revocationPoll: number;
  /** How often the IMS server prunes expired rows, in seconds. */
  pruneInterval: number;
  /** Audit events older than this many days are pruned; 0 keeps them forever. */
  auditRetentionDays: number;
  smtpUrl: string | undefined;
  /** Sender of invitation e-mails; undefined: `noreply@<host of imsUrl>`. */
  smtpFrom: string | undefined;
  /** Body size cap of the token endpoints. */
  maxBodyBytes: number;
}
