/**
 * Reads the configuration once, from the environment (`PIMS_*`) and flags (flags win), validates it against
 * `configSpec`, fills in defaults, and returns it deep-frozen with one warning line per development default.
 */
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { parseConfigFlags, type ConfigFlags } from './config-flags.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  configSpec,
  settingDefaults,
  type SettingName,
  type SettingSpec,
  type SettingValue,
} from './config-spec.js';
import type { Config, KeySource } from './config-types.js';

export interface LoadConfigOptions {
  /** Usually `process.env`. Empty values count as unset. */
  env: Readonly<Record<string, string | undefined>>;
  /** argv-style (`['--ims-port', '8190']`) or by name (`{ imsPort: 8190 }` / `{ 'ims-port': '8190' }`). */
  flags?: ConfigFlags;
  /** Relative paths resolve against it; default `process.cwd()`. */
  cwd?: string;
}

export interface LoadedConfig {
  config: Readonly<Config>;
  warnings: string[];
}

export const SQLITE_FILE_NAME = 'pims.db';
export const KEK_FILE_NAME = 'kek.key';
export const SECRET_KEY_FILE_NAME = 'secret.key';

function describeValue(raw: string, secret: boolean): string {
  if (secret) return 'value not shown';
  const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
  return `got ${JSON.stringify(shown)}`;
}

type Values = { [K in SettingName]?: SettingValue<K> };

function readValues(options: LoadConfigOptions): Values {
  const flagValues = parseConfigFlags(options.flags);
  const values: Record<string, unknown> = {}; // each entry is the output of its own setting's schema
  for (const name of Object.keys(configSpec) as SettingName[]) {
    const spec: SettingSpec<unknown> = configSpec[name];
    const fromFlag = flagValues.get(name);
    const fromEnv = options.env[spec.env];
    const raw = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
    if (raw === undefined) continue;
    const parsed = spec.schema.safeParse(raw.trim());
    if (!parsed.success) {
      const label = fromFlag === undefined ? spec.env : spec.flag;
      throw new ConfigError(`${label} must be ${spec.expected} (${describeValue(raw, spec.secret)})`, [
        label,
      ]);
    }
    values[name] = parsed.data;
  }
  return values;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIP(host) === 6 ? `[${host}]` : host;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const v = readValues(options);
  const warnings: string[] = [];

  const dataDir = resolve(cwd, v.dataDir ?? DEFAULT_DATA_DIR);
  const database = v.databaseUrl ?? { dialect: 'sqlite', file: join(dataDir, SQLITE_FILE_NAME) };
  const databaseUrl =
    database.dialect === 'postgres'
      ? database.url
      : `sqlite:${database.file === ':memory:' ? ':memory:' : resolve(cwd, database.file)}`;

  const host = v.host ?? DEFAULT_HOST;
  if (v.host === undefined) {
    warnings.push(`PIMS_HOST is not set: listening on ${DEFAULT_HOST} only (development default)`);
  }
  const imsPort = v.imsPort ?? settingDefaults.imsPort;
  const apiPort = v.apiPort ?? settingDefaults.apiPort;
  const imsUrl = v.imsUrl ?? `http://${urlHost(host)}:${imsPort}`;
  const apiUrl = v.apiUrl ?? `http://${urlHost(host)}:${apiPort}`;

  const keysDir = join(dataDir, 'keys');
  const keySource = (name: 'keyEncryptionKey' | 'secretKey', file: string): KeySource => {
    const value = v[name];
    if (value !== undefined) return { source: 'env', value };
    const path = join(keysDir, file);
    warnings.push(
      `${configSpec[name].env} is not set: using the development key file ${path} (set it in production)`,
    );
    return { source: 'file', path };
  };
  const keyEncryptionKey = keySource('keyEncryptionKey', KEK_FILE_NAME);
  const secretKey = keySource('secretKey', SECRET_KEY_FILE_NAME);

  for (const [name, url] of [
    ['imsUrl', imsUrl],
    ['apiUrl', apiUrl],
  ] as const) {
    if (url.startsWith('http:')) {
      warnings.push(
        `${configSpec[name].env} is ${url}: plain HTTP is for development only (use https in production)`,
      );
    }
  }

  const environment = v.environment ?? settingDefaults.environment;
  if (environment === 'production') {
    const missing: [string, string][] = [];
    if (keyEncryptionKey.source !== 'env')
      missing.push(['PIMS_KEY_ENCRYPTION_KEY', 'the key encryption key']);
    if (secretKey.source !== 'env') missing.push(['PIMS_SECRET_KEY', 'the secret key']);
    if (!imsUrl.startsWith('https:')) missing.push(['PIMS_IMS_URL', 'an https public URL']);
    if (!apiUrl.startsWith('https:')) missing.push(['PIMS_API_URL', 'an https public URL']);
    if (missing.length > 0) {
      throw new ConfigError(
        `PIMS_ENVIRONMENT=production refuses development defaults; set ${missing
          .map(([env, what]) => `${env} (${what})`)
          .join(', ')}`,
        missing.map(([env]) => env),
      );
    }
  }

  const config: Config = {
    dataDir,
    databaseUrl,
    databaseDialect: database.dialect,
    redisUrl: v.redisUrl,
    environment,
    host,
    imsPort,
    apiPort,
    imsUrl,
    apiUrl,
    logLevel: v.logLevel ?? settingDefaults.logLevel,
    keyEncryptionKey,
    secretKey,
    imsName: v.imsName ?? settingDefaults.imsName,
    orgIdSuffix: v.orgIdSuffix ?? settingDefaults.orgIdSuffix,
    technicalAccountSuffix: v.technicalAccountSuffix ?? settingDefaults.technicalAccountSuffix,
    accessTokenLifetime: v.accessTokenLifetime ?? settingDefaults.accessTokenLifetime,
    assertionMaxLifetime: v.assertionMaxLifetime ?? settingDefaults.assertionMaxLifetime,
    clockSkew: v.clockSkew ?? settingDefaults.clockSkew,
    trustProxy: v.trustProxy ?? settingDefaults.trustProxy,
    rateLimitClient: v.rateLimitClient ?? settingDefaults.rateLimitClient,
    rateLimitAddress: v.rateLimitAddress ?? settingDefaults.rateLimitAddress,
    revocationPoll: v.revocationPoll ?? settingDefaults.revocationPoll,
    pruneInterval: v.pruneInterval ?? settingDefaults.pruneInterval,
    auditRetentionDays: v.auditRetentionDays ?? settingDefaults.auditRetentionDays,
    smtpUrl: v.smtpUrl,
    smtpFrom: v.smtpFrom,
    maxBodyBytes: v.maxBodyBytes ?? settingDefaults.maxBodyBytes,
  };
  return { config: deepFreeze(config), warnings };
}
