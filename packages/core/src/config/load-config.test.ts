import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const cwd = '/srv/pims';
const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = Buffer.alloc(48, 9).toString('base64');
const productionEnv = {
  PIMS_ENVIRONMENT: 'production',
  PIMS_KEY_ENCRYPTION_KEY: KEY,
  PIMS_SECRET_KEY: SECRET,
  PIMS_IMS_URL: 'https://ims.example.com/',
  PIMS_API_URL: 'https://api.example.com',
};

function load(env: Record<string, string | undefined>, flags?: readonly string[] | Record<string, string>) {
  return loadConfig(flags === undefined ? { env, cwd } : { env, flags, cwd });
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

void describe('loadConfig defaults', () => {
  void it('fills every default and warns about each development default', () => {
    const { config, warnings } = load({});
    assert.equal(config.dataDir, '/srv/pims/.pims');
    assert.equal(config.databaseUrl, 'sqlite:/srv/pims/.pims/pims.db');
    assert.equal(config.databaseDialect, 'sqlite');
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.environment, 'sandbox');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.imsPort, 8180);
    assert.equal(config.apiPort, 8181);
    assert.equal(config.imsUrl, 'http://127.0.0.1:8180');
    assert.equal(config.apiUrl, 'http://127.0.0.1:8181');
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.keyEncryptionKey, { source: 'file', path: '/srv/pims/.pims/keys/kek.key' });
    assert.deepEqual(config.secretKey, { source: 'file', path: '/srv/pims/.pims/keys/secret.key' });
    assert.equal(config.imsName, 'ims-na1');
    assert.equal(config.orgIdSuffix, '@AdobeOrg');
    assert.equal(config.technicalAccountSuffix, '@techacct.adobe.com');
    assert.equal(config.accessTokenLifetime, 86400);
    assert.equal(config.assertionMaxLifetime, 86400);
    assert.equal(config.clockSkew, 30);
    assert.equal(config.trustProxy, false);
    assert.equal(config.rateLimitClient, 600);
    assert.equal(config.rateLimitAddress, 1200);
    assert.equal(config.revocationPoll, 5);
    assert.equal(config.pruneInterval, 3600);
    assert.equal(config.auditRetentionDays, 0, 'audit events are kept forever by default');
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.smtpFrom, undefined);
    assert.equal(config.maxBodyBytes, 65536);
    assert.deepEqual(warnings, [
      'PIMS_HOST is not set: listening on 127.0.0.1 only (development default)',
      'PIMS_KEY_ENCRYPTION_KEY is not set: using the development key file /srv/pims/.pims/keys/kek.key (set it in production)',
      'PIMS_SECRET_KEY is not set: using the development key file /srv/pims/.pims/keys/secret.key (set it in production)',
      'PIMS_IMS_URL is http://127.0.0.1:8180: plain HTTP is for development only (use https in production)',
      'PIMS_API_URL is http://127.0.0.1:8181: plain HTTP is for development only (use https in production)',
    ]);
  });

  void it('derives the public URLs from host and ports', () => {
    const { config } = load({ PIMS_HOST: 'pims.local', PIMS_IMS_PORT: '9000', PIMS_API_PORT: '9001' });
    assert.equal(config.imsUrl, 'http://pims.local:9000');
    assert.equal(config.apiUrl, 'http://pims.local:9001');
    assert.equal(load({ PIMS_HOST: '0.0.0.0' }).config.imsUrl, 'http://127.0.0.1:8180');
    assert.equal(load({ PIMS_HOST: '::' }).config.imsUrl, 'http://[::1]:8180');
    assert.equal(load({ PIMS_HOST: 'fe80::1' }).config.apiUrl, 'http://[fe80::1]:8181');
  });

  void it('normalises explicit URLs and resolves paths', () => {
    const { config } = load({
      PIMS_DATA_DIR: 'data',
      PIMS_IMS_URL: 'https://IMS.example.com/base//',
      PIMS_DATABASE_URL: 'sqlite:db/x.db',
    });
    assert.equal(config.dataDir, '/srv/pims/data');
    assert.equal(config.imsUrl, 'https://ims.example.com/base');
    assert.equal(config.databaseUrl, 'sqlite:/srv/pims/db/x.db');
    assert.equal(load({ PIMS_DATABASE_URL: 'sqlite::memory:' }).config.databaseUrl, 'sqlite::memory:');
  });

  void it('selects PostgreSQL and keeps the URL', () => {
    for (const url of ['postgres://u:p@db:5432/pims', 'postgresql://db/pims']) {
      const { config } = load({ PIMS_DATABASE_URL: url });
      assert.equal(config.databaseDialect, 'postgres');
      assert.equal(config.databaseUrl, url);
    }
  });

  void it('treats empty variables as unset and takes keys from the environment', () => {
    const { config, warnings } = load({
      PIMS_IMS_PORT: '',
      PIMS_KEY_ENCRYPTION_KEY: KEY,
      PIMS_TRUST_PROXY: 'YES',
    });
    assert.equal(config.imsPort, 8180);
    assert.equal(config.trustProxy, true);
    assert.equal(config.keyEncryptionKey.source, 'env');
    assert.ok(config.keyEncryptionKey.source === 'env' && config.keyEncryptionKey.value.reveal() === KEY);
    assert.ok(!warnings.some((line) => line.includes('PIMS_KEY_ENCRYPTION_KEY')));
  });

  void it('never prints a key', () => {
    const { config } = load({ PIMS_KEY_ENCRYPTION_KEY: KEY, PIMS_SECRET_KEY: SECRET });
    assert.ok(!JSON.stringify(config).includes(KEY));
    assert.ok(!inspect(config, { depth: 10 }).includes(KEY));
    assert.ok(!String(config.secretKey.source === 'env' && config.secretKey.value).includes(SECRET));
  });
});

void describe('flags', () => {
  void it('override the environment, in argv and record form', () => {
    const env = { PIMS_IMS_PORT: '9000', PIMS_LOG_LEVEL: 'debug', PIMS_TRUST_PROXY: 'false' };
    const { config } = load(env, ['--ims-port', '9100', '--log-level=warn', '--trust-proxy']);
    assert.equal(config.imsPort, 9100);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.trustProxy, true);
    assert.equal(config.imsUrl, 'http://127.0.0.1:9100');
    assert.equal(load(env, { imsPort: '9200', 'api-port': '9201' }).config.apiPort, 9201);
    assert.equal(load(env, { imsPort: '9200' }).config.imsPort, 9200);
    assert.equal(load({ PIMS_TRUST_PROXY: 'true' }, ['--no-trust-proxy']).config.trustProxy, false);
    assert.equal(load({ PIMS_AUDIT_RETENTION_DAYS: '400' }).config.auditRetentionDays, 400);
    assert.equal(load({}, ['--audit-retention-days', '36500']).config.auditRetentionDays, 36500);
  });

  void it('refuses unknown, repeated and value-less flags', () => {
    assert.equal(
      configError(() => load({}, ['--imsport', '1'])).message,
      'unknown option --imsport (see docs/configuration.md)',
    );
    assert.equal(
      configError(() => load({}, ['--ims-port', '1', '--ims-port=2'])).message,
      '--ims-port is given more than once',
    );
    assert.equal(
      configError(() => load({}, ['--ims-port'])).message,
      '--ims-port needs a value: an integer from 0 to 65535',
    );
    assert.equal(
      configError(() => load({}, ['oops'])).message,
      'unexpected argument "oops" (options look like --name value)',
    );
  });

  void it('names the flag, not the variable, when the flag is malformed', () => {
    assert.equal(
      configError(() => load({ PIMS_IMS_PORT: '1' }, ['--ims-port', 'x'])).message,
      '--ims-port must be an integer from 0 to 65535 (got "x")',
    );
  });
});

void describe('malformed values', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PIMS_IMS_PORT: 'abc' }, 'PIMS_IMS_PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PIMS_API_PORT: '65536' }, 'PIMS_API_PORT must be an integer from 0 to 65535 (got "65536")'],
    [{ PIMS_IMS_PORT: '-1' }, 'PIMS_IMS_PORT must be an integer from 0 to 65535 (got "-1")'],
    [{ PIMS_ENVIRONMENT: 'staging' }, 'PIMS_ENVIRONMENT must be one of sandbox, production (got "staging")'],
    [{ PIMS_HOST: 'bad host' }, 'PIMS_HOST must be a host name or IP address (got "bad host")'],
    [
      { PIMS_LOG_LEVEL: 'verbose' },
      'PIMS_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ],
    [
      { PIMS_IMS_URL: 'ftp://x' },
      'PIMS_IMS_URL must be an http(s) URL without credentials, query or fragment (got "ftp://x")',
    ],
    [
      { PIMS_API_URL: 'https://x/?a=1' },
      'PIMS_API_URL must be an http(s) URL without credentials, query or fragment (got "https://x/?a=1")',
    ],
    [
      { PIMS_IMS_URL: 'https://x/#f' },
      'PIMS_IMS_URL must be an http(s) URL without credentials, query or fragment (got "https://x/#f")',
    ],
    [
      { PIMS_DATABASE_URL: 'mysql://root:hunter2@db/pims' },
      'PIMS_DATABASE_URL must be a postgres:// or postgresql:// URL, or sqlite:<file> (value not shown)',
    ],
    [
      { PIMS_REDIS_URL: 'http://:pw@r' },
      'PIMS_REDIS_URL must be a redis:// or rediss:// URL (value not shown)',
    ],
    [
      { PIMS_SMTP_URL: 'mail.example.com' },
      'PIMS_SMTP_URL must be an smtp:// or smtps:// URL (value not shown)',
    ],
    [
      { PIMS_SMTP_FROM: 'Ops <ops@x.example>\r\nBcc: y@z.example' },
      'PIMS_SMTP_FROM must be an e-mail address (got "Ops <ops@x.example>\\r\\nBcc: y@z.example")',
    ],
    [
      { PIMS_KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') },
      'PIMS_KEY_ENCRYPTION_KEY must be the base64 encoding of 32 bytes (value not shown)',
    ],
    [
      { PIMS_KEY_ENCRYPTION_KEY: 'not base64 at all!' },
      'PIMS_KEY_ENCRYPTION_KEY must be the base64 encoding of 32 bytes (value not shown)',
    ],
    [
      { PIMS_SECRET_KEY: 'c2hvcnQ=' },
      'PIMS_SECRET_KEY must be the base64 encoding of 32 to 1024 bytes (value not shown)',
    ],
    [
      { PIMS_IMS_NAME: 'ims na1' },
      'PIMS_IMS_NAME must be letters, digits and dashes (at most 63) (got "ims na1")',
    ],
    [
      { PIMS_ORG_ID_SUFFIX: 'AdobeOrg' },
      'PIMS_ORG_ID_SUFFIX must be "@" followed by letters, digits, dots and dashes (got "AdobeOrg")',
    ],
    [
      { PIMS_TECHNICAL_ACCOUNT_SUFFIX: '@a b' },
      'PIMS_TECHNICAL_ACCOUNT_SUFFIX must be "@" followed by letters, digits, dots and dashes (got "@a b")',
    ],
    [
      { PIMS_ACCESS_TOKEN_LIFETIME: '1.5' },
      'PIMS_ACCESS_TOKEN_LIFETIME must be an integer number of seconds from 60 to 604800 (got "1.5")',
    ],
    [
      { PIMS_ASSERTION_MAX_LIFETIME: '0' },
      'PIMS_ASSERTION_MAX_LIFETIME must be an integer number of seconds from 60 to 604800 (got "0")',
    ],
    [
      { PIMS_CLOCK_SKEW: '301' },
      'PIMS_CLOCK_SKEW must be an integer number of seconds from 0 to 300 (got "301")',
    ],
    [{ PIMS_TRUST_PROXY: 'maybe' }, 'PIMS_TRUST_PROXY must be true or false (got "maybe")'],
    [
      { PIMS_RATE_LIMIT_CLIENT: '0' },
      'PIMS_RATE_LIMIT_CLIENT must be an integer from 1 to 1000000 (got "0")',
    ],
    [
      { PIMS_RATE_LIMIT_ADDRESS: '1e3' },
      'PIMS_RATE_LIMIT_ADDRESS must be an integer from 1 to 1000000 (got "1e3")',
    ],
    [
      { PIMS_REVOCATION_POLL: '600' },
      'PIMS_REVOCATION_POLL must be an integer number of seconds from 1 to 300 (got "600")',
    ],
    [
      { PIMS_PRUNE_INTERVAL: '59' },
      'PIMS_PRUNE_INTERVAL must be an integer number of seconds from 60 to 86400 (got "59")',
    ],
    [
      { PIMS_AUDIT_RETENTION_DAYS: '-1' },
      'PIMS_AUDIT_RETENTION_DAYS must be an integer number of days from 0 (keep forever) to 36500 (got "-1")',
    ],
    [
      { PIMS_AUDIT_RETENTION_DAYS: '36501' },
      'PIMS_AUDIT_RETENTION_DAYS must be an integer number of days from 0 (keep forever) to 36500 (got "36501")',
    ],
    [
      { PIMS_AUDIT_RETENTION_DAYS: '30d' },
      'PIMS_AUDIT_RETENTION_DAYS must be an integer number of days from 0 (keep forever) to 36500 (got "30d")',
    ],
    [
      { PIMS_MAX_BODY_BYTES: '10' },
      'PIMS_MAX_BODY_BYTES must be an integer from 1024 to 10485760 (got "10")',
    ],
    [{ PIMS_IMS_PORT: 'a\nb' }, 'PIMS_IMS_PORT must be an integer from 0 to 65535 (got "a\\nb")'],
  ];
  for (const [env, message] of cases) {
    void it(message.split(' ')[0] ?? '', () => {
      const err = configError(() => load(env));
      assert.equal(err.message, message);
      assert.ok(!err.message.includes('\n'));
      assert.deepEqual(err.settings, [Object.keys(env)[0]]);
    });
  }

  void it('never echoes a secret', () => {
    const err = configError(() => load({ PIMS_DATABASE_URL: 'mysql://root:hunter2@db/pims' }));
    assert.ok(!err.message.includes('hunter2'));
  });
});

void describe('production', () => {
  void it('refuses every development default, naming each setting', () => {
    const err = configError(() => load({ PIMS_ENVIRONMENT: 'production' }));
    assert.equal(
      err.message,
      'PIMS_ENVIRONMENT=production refuses development defaults; set PIMS_KEY_ENCRYPTION_KEY (the key encryption key), ' +
        'PIMS_SECRET_KEY (the secret key), PIMS_IMS_URL (an https public URL), PIMS_API_URL (an https public URL)',
    );
    assert.deepEqual(err.settings, [
      'PIMS_KEY_ENCRYPTION_KEY',
      'PIMS_SECRET_KEY',
      'PIMS_IMS_URL',
      'PIMS_API_URL',
    ]);
  });

  void it('refuses an explicit plain-HTTP public URL', () => {
    const err = configError(() => load({ ...productionEnv, PIMS_API_URL: 'http://api.example.com' }));
    assert.deepEqual(err.settings, ['PIMS_API_URL']);
  });

  void it('starts when everything is set explicitly', () => {
    const { config, warnings } = load({ ...productionEnv, PIMS_HOST: '0.0.0.0' });
    assert.equal(config.environment, 'production');
    assert.equal(config.imsUrl, 'https://ims.example.com');
    assert.deepEqual(warnings, []);
  });
});

void describe('freezing', () => {
  void it('returns a deep-frozen config', () => {
    const { config } = load({});
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.keyEncryptionKey));
    assert.throws(() => {
      (config as { imsPort: number }).imsPort = 1;
    }, TypeError);
    assert.throws(() => {
      (config.secretKey as { path: string }).path = '/tmp/x';
    }, TypeError);
  });
});
