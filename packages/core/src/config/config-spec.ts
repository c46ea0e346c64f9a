/**
 * Every setting, declared once: environment variable, flag, expected form, default and description. `loadConfig`
 * reads them, `docs/configuration.md` is generated from them (`npm run docs:config`).
 */
import { environments, logLevels } from './config-types.js';
import {
  base64Key,
  boolean,
  databaseUrl,
  host,
  integer,
  oneOf,
  path,
  pattern,
  publicUrl,
  urlWithScheme,
  type ValueSchema,
} from './value-schemas.js';

export interface SettingSpec<T> {
  env: `PIMS_${string}`;
  flag: `--${string}`;
  /** Completes "<NAME> must be …" in error messages. */
  expected: string;
  /** Shown in docs/configuration.md for a default that is not in `settingDefaults` (derived, or none). */
  default?: string;
  /** The default is only fit for development: it warns, and production refuses it. */
  devDefault: boolean;
  /** Never echoed in error messages. */
  secret: boolean;
  /** A flag that may stand alone (`--trust-proxy` means true). */
  switch?: boolean;
  description: string;
  schema: ValueSchema<T>;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

const DAY = 86_400;
/** A hundred years: any longer is "forever", which is 0. */
const MAX_AUDIT_RETENTION_DAYS = 36_500;
export const DEFAULT_DATA_DIR = './.pims';
export const DEFAULT_HOST = '127.0.0.1';

export const configSpec = {
  dataDir: setting({
    env: 'PIMS_DATA_DIR',
    flag: '--data-dir',
    expected: 'a directory path',
    default: `\`${DEFAULT_DATA_DIR}\``,
    devDefault: false,
    secret: false,
    description:
      'Data directory: the SQLite database, development key files, demo files. Resolved to an absolute path.',
    schema: path,
  }),
  databaseUrl: setting({
    env: 'PIMS_DATABASE_URL',
    flag: '--database-url',
    expected: 'a postgres:// or postgresql:// URL, or sqlite:<file>',
    default: 'SQLite file `<dataDir>/pims.db`',
    devDefault: false,
    secret: true,
    description:
      '`postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:<file>` another SQLite file.',
    schema: databaseUrl,
  }),
  redisUrl: setting({
    env: 'PIMS_REDIS_URL',
    flag: '--redis-url',
    expected: 'a redis:// or rediss:// URL',
    default: 'none',
    devDefault: false,
    secret: true,
    description:
      'Redis for state shared between instances: rate-limit counters and the replay store. Without it, the replay store is the database and rate limits are counted per instance.',
    schema: urlWithScheme('redis:', 'rediss:'),
  }),
  environment: setting({
    env: 'PIMS_ENVIRONMENT',
    flag: '--environment',
    expected: `one of ${environments.join(', ')}`,
    devDefault: false,
    secret: false,
    description: '`production` refuses development defaults (key files, plain-HTTP public URLs).',
    schema: oneOf(environments),
  }),
  host: setting({
    env: 'PIMS_HOST',
    flag: '--host',
    expected: 'a host name or IP address',
    default: `\`${DEFAULT_HOST}\``,
    devDefault: true,
    secret: false,
    description: 'Address the IMS and the gateway listen on.',
    schema: host,
  }),
  imsPort: setting({
    env: 'PIMS_IMS_PORT',
    flag: '--ims-port',
    expected: 'an integer from 0 to 65535',
    devDefault: false,
    secret: false,
    description: 'Port of the IMS and the console.',
    schema: integer(0, 65535),
  }),
  apiPort: setting({
    env: 'PIMS_API_PORT',
    flag: '--api-port',
    expected: 'an integer from 0 to 65535',
    devDefault: false,
    secret: false,
    description: 'Port of the Partner API gateway.',
    schema: integer(0, 65535),
  }),
  imsUrl: setting({
    env: 'PIMS_IMS_URL',
    flag: '--ims-url',
    expected: 'an http(s) URL without credentials, query or fragment',
    default: '`http://{host}:{imsPort}`',
    devDefault: true,
    secret: false,
    description: 'Public base URL of the IMS (token `iss`, assertion `aud`). Must be https in production.',
    schema: publicUrl,
  }),
  apiUrl: setting({
    env: 'PIMS_API_URL',
    flag: '--api-url',
    expected: 'an http(s) URL without credentials, query or fragment',
    default: '`http://{host}:{apiPort}`',
    devDefault: true,
    secret: false,
    description: 'Public base URL of the Partner API gateway. Must be https in production.',
    schema: publicUrl,
  }),
  logLevel: setting({
    env: 'PIMS_LOG_LEVEL',
    flag: '--log-level',
    expected: `one of ${logLevels.join(', ')}`,
    devDefault: false,
    secret: false,
    description: 'Log level.',
    schema: oneOf(logLevels),
  }),
  keyEncryptionKey: setting({
    env: 'PIMS_KEY_ENCRYPTION_KEY',
    flag: '--key-encryption-key',
    expected: 'the base64 encoding of 32 bytes',
    default: 'generated into `<dataDir>/keys/kek.key`',
    devDefault: true,
    secret: true,
    description: 'AES-256 key that encrypts the stored signing keys. Required in production.',
    schema: base64Key(32, 32),
  }),
  secretKey: setting({
    env: 'PIMS_SECRET_KEY',
    flag: '--secret-key',
    expected: 'the base64 encoding of 32 to 1024 bytes',
    default: 'generated into `<dataDir>/keys/secret.key`',
    devDefault: true,
    secret: true,
    description: 'HMAC key for the keyed hashes of client secrets and tokens. Required in production.',
    schema: base64Key(32, 1024),
  }),
  imsName: setting({
    env: 'PIMS_IMS_NAME',
    flag: '--ims-name',
    expected: 'letters, digits and dashes (at most 63)',
    devDefault: false,
    secret: false,
    description: 'The `as` claim of access tokens.',
    schema: pattern(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/),
  }),
  orgIdSuffix: setting({
    env: 'PIMS_ORG_ID_SUFFIX',
    flag: '--org-id-suffix',
    expected: '"@" followed by letters, digits, dots and dashes',
    devDefault: false,
    secret: false,
    description: 'Suffix of generated org ids.',
    schema: pattern(/^@[A-Za-z0-9.-]{1,100}$/),
  }),
  technicalAccountSuffix: setting({
    env: 'PIMS_TECHNICAL_ACCOUNT_SUFFIX',
    flag: '--technical-account-suffix',
    expected: '"@" followed by letters, digits, dots and dashes',
    devDefault: false,
    secret: false,
    description: 'Suffix of generated technical account ids.',
    schema: pattern(/^@[A-Za-z0-9.-]{1,100}$/),
  }),
  accessTokenLifetime: setting({
    env: 'PIMS_ACCESS_TOKEN_LIFETIME',
    flag: '--access-token-lifetime',
    expected: `an integer number of seconds from 60 to ${7 * DAY}`,
    devDefault: false,
    secret: false,
    description: 'Lifetime of issued access tokens, in seconds.',
    schema: integer(60, 7 * DAY),
  }),
  assertionMaxLifetime: setting({
    env: 'PIMS_ASSERTION_MAX_LIFETIME',
    flag: '--assertion-max-lifetime',
    expected: `an integer number of seconds from 60 to ${7 * DAY}`,
    devDefault: false,
    secret: false,
    description: 'How far in the future a JWT assertion may expire, in seconds.',
    schema: integer(60, 7 * DAY),
  }),
  clockSkew: setting({
    env: 'PIMS_CLOCK_SKEW',
    flag: '--clock-skew',
    expected: 'an integer number of seconds from 0 to 300',
    devDefault: false,
    secret: false,
    description: 'Clock skew tolerated when checking `exp`, `iat` and `nbf`, in seconds.',
    schema: integer(0, 300),
  }),
  trustProxy: setting({
    env: 'PIMS_TRUST_PROXY',
    flag: '--trust-proxy',
    expected: 'true or false',
    devDefault: false,
    secret: false,
    switch: true,
    description:
      'Trust `X-Forwarded-*` headers from a reverse proxy in front (source address for rate limits).',
    schema: boolean,
  }),
  rateLimitClient: setting({
    env: 'PIMS_RATE_LIMIT_CLIENT',
    flag: '--rate-limit-client',
    expected: 'an integer from 1 to 1000000',
    devDefault: false,
    secret: false,
    description: 'Token requests per client id per minute.',
    schema: integer(1, 1_000_000),
  }),
  rateLimitAddress: setting({
    env: 'PIMS_RATE_LIMIT_ADDRESS',
    flag: '--rate-limit-address',
    expected: 'an integer from 1 to 1000000',
    devDefault: false,
    secret: false,
    description: 'Token requests per source address per minute.',
    schema: integer(1, 1_000_000),
  }),
  revocationPoll: setting({
    env: 'PIMS_REVOCATION_POLL',
    flag: '--revocation-poll',
    expected: 'an integer number of seconds from 1 to 300',
    devDefault: false,
    secret: false,
    description: 'How often the gateway polls the IMS revocation feed, in seconds (the bound of GW-4).',
    schema: integer(1, 300),
  }),
  pruneInterval: setting({
    env: 'PIMS_PRUNE_INTERVAL',
    flag: '--prune-interval',
    expected: `an integer number of seconds from 60 to ${DAY}`,
    devDefault: false,
    secret: false,
    description:
      'How often the IMS server deletes expired rows (used assertions, revocations, console sessions, and audit events past `PIMS_AUDIT_RETENTION_DAYS`), in seconds; the first run is 10 s after start.',
    schema: integer(60, DAY),
  }),
  auditRetentionDays: setting({
    env: 'PIMS_AUDIT_RETENTION_DAYS',
    flag: '--audit-retention-days',
    expected: `an integer number of days from 0 (keep forever) to ${MAX_AUDIT_RETENTION_DAYS}`,
    devDefault: false,
    secret: false,
    description:
      'How long audit events are kept, in days: the pruning job (`PIMS_PRUNE_INTERVAL`) deletes older ones. 0 keeps them forever.',
    schema: integer(0, MAX_AUDIT_RETENTION_DAYS),
  }),
  smtpUrl: setting({
    env: 'PIMS_SMTP_URL',
    flag: '--smtp-url',
    expected: 'an smtp:// or smtps:// URL',
    default: 'none',
    devDefault: false,
    secret: true,
    description: 'Mail server for invitations; without it invitation links are only shown in the console.',
    schema: urlWithScheme('smtp:', 'smtps:'),
  }),
  smtpFrom: setting({
    env: 'PIMS_SMTP_FROM',
    flag: '--smtp-from',
    expected: 'an e-mail address',
    default: '`noreply@<host of PIMS_IMS_URL>`',
    devDefault: false,
    secret: false,
    description: 'Sender address of invitation e-mails (with `PIMS_SMTP_URL`).',
    schema: pattern(/^[^\s@<>"',;]{1,64}@[a-z0-9.-]{1,253}$/i),
  }),
  maxBodyBytes: setting({
    env: 'PIMS_MAX_BODY_BYTES',
    flag: '--max-body-bytes',
    expected: 'an integer from 1024 to 10485760',
    devDefault: false,
    secret: false,
    description: 'Largest accepted body of the token endpoints, in bytes (larger: 413).',
    schema: integer(1024, 10 * 1024 * 1024),
  }),
} as const;

export type ConfigSpec = typeof configSpec;
export type SettingName = keyof ConfigSpec;
export type SettingValue<K extends SettingName> = ConfigSpec[K] extends SettingSpec<infer T> ? T : never;

/** Fixed defaults; the others are derived in `loadConfig` (paths, URLs, key files) or absent. */
export const settingDefaults = {
  environment: 'sandbox',
  imsPort: 8180,
  apiPort: 8181,
  logLevel: 'info',
  imsName: 'ims-na1',
  orgIdSuffix: '@AdobeOrg',
  technicalAccountSuffix: '@techacct.adobe.com',
  accessTokenLifetime: DAY,
  assertionMaxLifetime: DAY,
  clockSkew: 30,
  trustProxy: false,
  rateLimitClient: 600,
  rateLimitAddress: 1200,
  revocationPoll: 5,
  pruneInterval: 3600,
  auditRetentionDays: 0,
  maxBodyBytes: 65_536,
} as const satisfies { [K in SettingName]?: SettingValue<K> };
