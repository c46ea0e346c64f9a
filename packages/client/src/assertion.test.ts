import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { assertionClaims, createAssertion } from './assertion.js';
import { CredentialError } from './errors.js';
import { encryptedPem, TEST_CLIENT, testKeys } from './testing/fixtures.js';

const IMS = 'https://ims-na1-stg1.adobelogin.com';
const base = {
  imsUrl: IMS,
  clientId: TEST_CLIENT.clientId,
  orgId: TEST_CLIENT.orgId,
  technicalAccountId: TEST_CLIENT.technicalAccountId,
  privateKey: testKeys().privateKey,
};

void test('the assertion has exactly the header and claims of DESIGN.md §3.1, verifiable with the public key', async () => {
  const now = Date.UTC(2030, 0, 1, 12);
  const jwt = await createAssertion({ ...base, now, jti: 'fixed-jti' });
  assert.deepEqual(decodeProtectedHeader(jwt), { alg: 'RS256' });
  const { payload } = await jwtVerify(jwt, testKeys().publicKey, { currentDate: new Date(now) });
  const iat = now / 1000;
  assert.deepEqual(payload, {
    exp: iat + 300,
    iss: TEST_CLIENT.orgId,
    sub: TEST_CLIENT.technicalAccountId,
    aud: `${IMS}/c/${TEST_CLIENT.clientId}`,
    [`${IMS}/s/ent_partners_sdk`]: true,
    iat,
    jti: 'fixed-jti',
  });
  // The claim order puts exp first, like Adobe's own clients.
  const { payload: raw } = await compactVerify(jwt, testKeys().publicKey);
  assert.match(new TextDecoder().decode(raw), /^\{"exp":/);
});

void test('jti is random per assertion; lifetime and metascopes are configurable', () => {
  const a = assertionClaims({
    ...base,
    lifetimeSeconds: 60,
    metaScopes: ['ent_partners_sdk', 'ent_other'],
    now: 0,
  });
  const b = assertionClaims({ ...base, now: 0 });
  assert.notEqual(a.jti, b.jti);
  assert.match(String(a.jti), /^[A-Za-z0-9_-]{22}$/);
  assert.equal(a.exp, 60);
  assert.equal(a[`${IMS}/s/ent_other`], true);
});

void test('a PEM string works, encrypted with a passphrase too; errors never echo the key', async () => {
  const pem = encryptedPem('pass');
  const jwt = await createAssertion({ ...base, privateKey: pem, passphrase: 'pass' });
  await jwtVerify(jwt, testKeys().publicKey, { audience: `${IMS}/c/${TEST_CLIENT.clientId}` });
  await assert.rejects(createAssertion({ ...base, privateKey: pem }), (e: unknown) => {
    assert.ok(e instanceof CredentialError);
    assert.doesNotMatch(e.message, /BEGIN|pass\b/);
    return true;
  });
});
