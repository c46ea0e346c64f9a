import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { CredentialError } from '../errors.js';
import { jwtTestCredentials, oauthTestCredentials, testKeys } from '../testing/fixtures.js';
import { resolveCredentials } from './resolve.js';

function credentialError(fn: () => unknown): CredentialError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CredentialError, `expected CredentialError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a CredentialError');
}

void test('object credentials: a PEM or a KeyObject; defaults filled in', () => {
  const fromPem = resolveCredentials({ ...jwtTestCredentials(), privateKey: testKeys().pem });
  assert.equal(fromPem.type === 'jwt' && fromPem.privateKey.type, 'private');
  const fromKey = resolveCredentials(jwtTestCredentials());
  assert.equal(fromKey.type === 'jwt' && fromKey.privateKey, testKeys().privateKey);
  const oauth = resolveCredentials(oauthTestCredentials());
  assert.deepEqual(oauth.type === 'oauth_server_to_server' && oauth.scopes, ['ent_partners_sdk']);
});

void test('object credentials: errors use the object field names', () => {
  const error = credentialError(() =>
    resolveCredentials({ type: 'jwt', clientId: 5, orgId: 'o@AdobeOrg' } as never, 'my config'),
  );
  assert.equal(error.source, 'my config');
  assert.deepEqual(
    error.issues.map((i) => i.field),
    ['clientId', 'clientSecret', 'technicalAccountId', 'privateKey'],
  );
  assert.equal(credentialError(() => resolveCredentials({ type: 'saml' } as never)).field, 'type');
  assert.equal(credentialError(() => resolveCredentials(null as never)).field, 'type');
});

void test('keys that are not RSA-2048 private keys are refused', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  for (const [privateKey, problem] of [
    [ec, /RSA/],
    [small, /2048/],
    [testKeys().publicKey, /not a private key/],
  ] as const) {
    const error = credentialError(() => resolveCredentials({ ...jwtTestCredentials(), privateKey }));
    assert.equal(error.code, 'private_key_invalid');
    assert.match(error.message, problem);
  }
});
