import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CompactSign, exportJWK } from 'jose';
import { createSigningKeyRing, type SigningKeyRing } from '../signing-keys/signing-key-ring.js';
import {
  TEST_KEK,
  fakeClock,
  recordingLogger,
  sqliteTestDatabase,
  testConfig,
  type TestDatabase,
} from '../signing-keys/test-support.js';
import { createTokenIssuer } from './token-issuer.js';
import { createTokenVerifier } from './token-verifier.js';
import type { AccessTokenClaims, TokenVerifier } from './token-types.js';

const clock = fakeClock();
let database: TestDatabase;
let ring: SigningKeyRing;
let verifier: TokenVerifier;
let good: { accessToken: string; claims: AccessTokenClaims };

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

before(async () => {
  database = sqliteTestDatabase();
  ring = createSigningKeyRing({
    storage: await database.open(),
    kek: TEST_KEK,
    clock,
    config: testConfig,
    logger: recordingLogger(),
  });
  await ring.init();
  verifier = createTokenVerifier({ keys: ring, clock, config: testConfig });
  good = await createTokenIssuer({ keyRing: ring, clock, config: testConfig }).issue({
    clientId: 'client-1',
    orgId: 'ORG@AdobeOrg',
    technicalAccountId: 'TA@techacct.adobe.com',
    scopes: ['ent_partners_sdk'],
  });
});
after(() => database.cleanup());

/** Signs `claims` with the ring's active key under `header` (defaults to the IMS header). */
async function signWithRing(claims: unknown, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, privateKey } = ring.activeSigner();
  return new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256', kid, x5u: `${kid}.cer`, itt: 'at', ...header })
    .sign(privateKey);
}

test('a token this IMS issued verifies and gives its claims', async () => {
  assert.deepEqual(await verifier.verify(good.accessToken), { valid: true, claims: good.claims });
});

test('expiry allows the clock skew and no more', async () => {
  const expiry = good.claims.exp * 1000 + testConfig.clockSkew * 1000;
  const at = (time: number) =>
    createTokenVerifier({ keys: ring, clock: () => time, config: testConfig }).verify(good.accessToken);
  assert.equal((await at(expiry - 1)).valid, true);
  assert.deepEqual(await at(expiry), { valid: false, reason: 'expired' });
});

test('wrong type, wrong issuer and malformed claims are refused with their reasons', async () => {
  assert.deepEqual(await verifier.verify(await signWithRing({ ...good.claims, type: 'refresh_token' })), {
    valid: false,
    reason: 'wrong_type',
  });
  assert.deepEqual(
    await verifier.verify(await signWithRing({ ...good.claims, iss: 'https://ims.evil.test' })),
    {
      valid: false,
      reason: 'wrong_issuer',
    },
  );
  for (const claims of [
    { ...good.claims, exp: String(good.claims.exp) },
    { ...good.claims, org: 1 },
    [1, 2],
    'x',
  ]) {
    assert.deepEqual(await verifier.verify(await signWithRing(claims)), {
      valid: false,
      reason: 'malformed',
    });
  }
});

test('a tampered payload or signature is a bad signature', async () => {
  const [header, , signature] = good.accessToken.split('.');
  const forged = `${header}.${b64({ ...good.claims, org: 'OTHER@AdobeOrg' })}.${signature}`;
  assert.deepEqual(await verifier.verify(forged), { valid: false, reason: 'bad_signature' });
  const flipped = `${good.accessToken.slice(0, -2)}${good.accessToken.endsWith('AA') ? 'BB' : 'AA'}`;
  assert.deepEqual(await verifier.verify(flipped), { valid: false, reason: 'bad_signature' });
});

test('only RS256 with a published kid: alg none, HS256 with the public key, unknown or missing kid fail', async () => {
  const { kid } = ring.activeSigner();
  const none = `${b64({ alg: 'none', kid })}.${b64(good.claims)}.`;
  assert.deepEqual(await verifier.verify(none), { valid: false, reason: 'bad_signature' });

  const jwk = ring.jwks().keys[0]!;
  const publicPem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
    format: 'pem',
    type: 'spki',
  });
  const hs256 = await new CompactSign(Buffer.from(JSON.stringify(good.claims)))
    .setProtectedHeader({ alg: 'HS256', kid })
    .sign(Buffer.from(publicPem));
  assert.deepEqual(await verifier.verify(hs256), { valid: false, reason: 'bad_signature' });

  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signWithAttacker = (header: Record<string, unknown>) =>
    new CompactSign(Buffer.from(JSON.stringify(good.claims)))
      .setProtectedHeader({ alg: 'RS256', ...header })
      .sign(attacker.privateKey);
  assert.deepEqual(await verifier.verify(await signWithAttacker({ kid: 'ims-unknown' })), {
    valid: false,
    reason: 'unknown_key',
  });
  assert.deepEqual(await verifier.verify(await signWithAttacker({})), {
    valid: false,
    reason: 'unknown_key',
  });
  // The attacker's key under our kid: the published key decides, so the signature fails.
  assert.deepEqual(await verifier.verify(await signWithAttacker({ kid })), {
    valid: false,
    reason: 'bad_signature',
  });
});

test('embedded jwk, jku and x5c are refused even around a valid signature; x5u is only a name', async () => {
  const attackerJwk = await exportJWK(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
  for (const header of [{ jwk: attackerJwk }, { jku: 'https://evil.test/jwks' }, { x5c: ['MIIB'] }]) {
    assert.deepEqual(await verifier.verify(await signWithRing(good.claims, header)), {
      valid: false,
      reason: 'malformed',
    });
  }
  const elsewhere = await signWithRing(good.claims, { x5u: 'https://evil.test/key.cer' });
  assert.deepEqual(await verifier.verify(elsewhere), { valid: true, claims: good.claims });
});

test('garbage is malformed', async () => {
  for (const token of ['', 'abc', 'a.b', 'a.b.c', `${b64('{"alg":')}.e30.`, `${'a'.repeat(17_000)}.e30.x`]) {
    assert.deepEqual(await verifier.verify(token), { valid: false, reason: 'malformed' }, token.slice(0, 20));
  }
});
