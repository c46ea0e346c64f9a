import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CredentialError } from '../errors.js';
import { encryptedPem, TEST_CLIENT, testKeys } from '../testing/fixtures.js';
import { credentialsFromEnv } from './env.js';

const base = {
  PIMS_CLIENT_ID: TEST_CLIENT.clientId,
  PIMS_CLIENT_SECRET: TEST_CLIENT.clientSecret,
  PIMS_ORG_ID: TEST_CLIENT.orgId,
  PIMS_TECHNICAL_ACCOUNT_ID: TEST_CLIENT.technicalAccountId,
};

function credentialError(fn: () => unknown): CredentialError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CredentialError, `expected CredentialError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a CredentialError');
}

void test('PIMS_PRIVATE_KEY makes a JWT credential with the default metascope', () => {
  const credentials = credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY: testKeys().pem });
  assert.equal(credentials.type, 'jwt');
  assert.equal(credentials.clientId, TEST_CLIENT.clientId);
  assert.equal(credentials.type === 'jwt' && credentials.privateKey.asymmetricKeyType, 'rsa');
  assert.deepEqual(credentials.type === 'jwt' && credentials.metaScopes, ['ent_partners_sdk']);
});

void test('PIMS_PRIVATE_KEY accepts \\n escapes (one-line env files)', () => {
  const oneLine = testKeys().pem.replace(/\n/g, '\\n');
  assert.equal(credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY: oneLine }).type, 'jwt');
});

void test('PIMS_PRIVATE_KEY_FILE with PIMS_PRIVATE_KEY_PASSPHRASE reads an encrypted PKCS#8 key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pims-env-'));
  const file = join(dir, 'private.key');
  writeFileSync(file, encryptedPem('s3cret'));
  const credentials = credentialsFromEnv({
    ...base,
    PIMS_PRIVATE_KEY_FILE: file,
    PIMS_PRIVATE_KEY_PASSPHRASE: 's3cret',
  });
  assert.equal(credentials.type, 'jwt');
  assert.equal(credentials.type === 'jwt' && credentials.privateKey.type, 'private');
  assert.ok(!('passphrase' in credentials) || credentials.passphrase === undefined);

  const missing = credentialError(() => credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY_FILE: file }));
  assert.equal(missing.field, 'PIMS_PRIVATE_KEY_PASSPHRASE');
  assert.equal(missing.code, 'private_key_invalid');
  const wrong = credentialError(() =>
    credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY_FILE: file, PIMS_PRIVATE_KEY_PASSPHRASE: 'nope' }),
  );
  assert.equal(wrong.field, 'PIMS_PRIVATE_KEY_PASSPHRASE');
  assert.doesNotMatch(wrong.message, /nope|BEGIN/);

  const unreadable = credentialError(() =>
    credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY_FILE: join(dir, 'nope') }),
  );
  assert.equal(unreadable.field, 'PIMS_PRIVATE_KEY_FILE');
  assert.match(unreadable.message, /ENOENT/);
});

void test('without a private key it is an OAuth server-to-server credential; PIMS_SCOPES is comma-separated', () => {
  const credentials = credentialsFromEnv({ ...base, PIMS_SCOPES: 'ent_partners_sdk, openid' });
  assert.equal(credentials.type, 'oauth_server_to_server');
  assert.deepEqual(credentials.type === 'oauth_server_to_server' && credentials.scopes, [
    'ent_partners_sdk',
    'openid',
  ]);
  const { PIMS_TECHNICAL_ACCOUNT_ID: _ignored, ...withoutTechAccount } = base;
  assert.equal(credentialsFromEnv(withoutTechAccount).type, 'oauth_server_to_server');
});

void test('missing and bad variables are all named in one error, with the source and no values', () => {
  const error = credentialError(() =>
    credentialsFromEnv({
      PIMS_CLIENT_SECRET: 'has space',
      PIMS_PRIVATE_KEY: testKeys().pem,
      PIMS_SCOPES: ',',
    }),
  );
  assert.equal(error.code, 'credential_invalid');
  assert.equal(error.source, 'environment variables');
  assert.equal(error.field, 'PIMS_CLIENT_ID');
  assert.deepEqual(
    error.issues.map((i) => i.field),
    ['PIMS_CLIENT_ID', 'PIMS_CLIENT_SECRET', 'PIMS_ORG_ID', 'PIMS_TECHNICAL_ACCOUNT_ID', 'PIMS_SCOPES'],
  );
  assert.match(error.message, /environment variables/);
  assert.doesNotMatch(error.message, /has space|PRIVATE KEY-----/);
});

void test('a private key that is not one, or both key variables, is refused', () => {
  assert.equal(
    credentialError(() => credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY: 'garbage' })).field,
    'PIMS_PRIVATE_KEY',
  );
  const both = credentialError(() =>
    credentialsFromEnv({ ...base, PIMS_PRIVATE_KEY: testKeys().pem, PIMS_PRIVATE_KEY_FILE: '/x' }),
  );
  assert.equal(both.field, 'PIMS_PRIVATE_KEY_FILE');
});
