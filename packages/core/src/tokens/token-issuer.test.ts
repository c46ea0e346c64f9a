import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
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
import type { AccessTokenClaims } from './token-types.js';

const clock = fakeClock(1_767_225_600_123); // 2026-01-01T00:00:00.123Z
let database: TestDatabase;
let ring: SigningKeyRing;
let kid: string;

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
  kid = ring.activeSigner().kid;
});
after(() => database.cleanup());

const input = {
  clientId: 'client-1',
  orgId: 'ABCDEF0123456789@AdobeOrg',
  technicalAccountId: 'TA0123456789@techacct.adobe.com',
  scopes: ['openid', 'AdobeID', 'ent_partners_sdk'],
};

function issuer(ids = ['token-id-1', 'token-id-2']) {
  return createTokenIssuer({ keyRing: ring, clock, config: testConfig, newId: () => ids.shift() ?? 'spent' });
}

function segment(token: string, index: number): string {
  return Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8');
}

test('issue writes the exact header and claims, in order, and signs with the active key', async () => {
  const issued = await issuer().issue(input);
  assert.equal(
    segment(issued.accessToken, 0),
    `{"alg":"RS256","kid":"${kid}","x5u":"${kid}.cer","itt":"at"}`,
  );
  const expected: AccessTokenClaims = {
    id: 'token-id-1',
    type: 'access_token',
    client_id: 'client-1',
    user_id: 'TA0123456789@techacct.adobe.com',
    as: 'ims-test1',
    aa_id: 'TA0123456789@techacct.adobe.com',
    org: 'ABCDEF0123456789@AdobeOrg',
    scope: 'openid,AdobeID,ent_partners_sdk',
    created_at: '1767225600123',
    expires_in: '86400000',
    iat: 1_767_225_600,
    exp: 1_767_312_000,
    iss: 'https://ims.example.test',
    sub: 'TA0123456789@techacct.adobe.com',
    jti: 'token-id-1',
  };
  assert.equal(segment(issued.accessToken, 1), JSON.stringify(expected));
  assert.deepEqual(issued.claims, expected);
  assert.equal(issued.expiresAt, 1_767_225_600_123 + 86_400_000);

  const jwk = ring.jwks().keys.find((key) => key.kid === kid)!;
  const { payload } = await compactVerify(issued.accessToken, await importJWK(jwk, 'RS256'));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), expected);
});

test('a shorter lifetime is honoured; a longer, zero or fractional one is refused', async () => {
  const issued = await issuer().issue({ ...input, lifetimeSeconds: 3600 });
  assert.equal(issued.claims.expires_in, '3600000');
  assert.equal(issued.claims.exp - issued.claims.iat, 3600);
  assert.equal(issued.expiresAt, clock() + 3_600_000);
  for (const lifetimeSeconds of [86_401, 0, -5, 1.5]) {
    await assert.rejects(issuer().issue({ ...input, lifetimeSeconds }), RangeError, String(lifetimeSeconds));
  }
});

test('every token gets a fresh id by default', async () => {
  const plain = createTokenIssuer({ keyRing: ring, clock, config: testConfig });
  const [a, b] = await Promise.all([plain.issue(input), plain.issue(input)]);
  assert.notEqual(a.claims.id, b.claims.id);
  assert.equal(a.claims.jti, a.claims.id);
});

test('reissue gives the byte-identical token while the key is active, and a new signature after rotation', async () => {
  const tokens = issuer();
  const issued = await tokens.issue(input);
  clock.advance(60_000);
  const again = await tokens.reissue(structuredClone(issued.claims));
  assert.equal(again.accessToken, issued.accessToken);
  assert.equal(again.expiresAt, issued.expiresAt);

  // Members the claims type does not have are not signed; member order in the input does not matter.
  const reordered = { ...Object.fromEntries(Object.entries(issued.claims).reverse()), extra: 'x' };
  assert.equal(
    (await tokens.reissue(reordered as unknown as AccessTokenClaims)).accessToken,
    issued.accessToken,
  );

  await ring.rotate();
  await ring.rotate({ force: true });
  const afterRotation = await tokens.reissue(issued.claims);
  assert.notEqual(afterRotation.accessToken, issued.accessToken);
  assert.equal(decodeProtectedHeader(afterRotation.accessToken).kid, ring.activeSigner().kid);
  assert.notEqual(ring.activeSigner().kid, kid);
  assert.deepEqual(afterRotation.claims, issued.claims);
});
