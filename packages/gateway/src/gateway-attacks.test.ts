import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  accessTokenClaims,
  createTestSigningKey,
  gatewayUnderTest,
  hs256Token,
  mintAccessToken,
  unsignedToken,
  type GatewayUnderTest,
} from './testing/index.js';

const INVALID = { code: '4116', message: 'Access token is invalid.' };
const MISSING = { code: '4117', message: 'Access token is missing.' };
const API_KEY = { code: '4115', message: 'API key is invalid or missing.' };

describe('gateway attacks (GW-1, GW-2, GW-3, GW-5)', () => {
  let gw: GatewayUnderTest;
  let valid: string;
  before(async () => {
    gw = await gatewayUnderTest();
    valid = await gw.token();
  });
  after(() => gw.close());

  const call = (headers: Record<string, string | string[]>, url = '/v3/customers') =>
    gw.app.inject({ method: 'GET', url, headers });
  const outboundBefore = () => gw.fetch.urls.length;

  function assertRefused(
    response: Awaited<ReturnType<typeof call>>,
    status: number,
    body: object,
    challenge = 'Bearer error="invalid_token"',
  ) {
    assert.equal(response.statusCode, status, response.body);
    assert.deepEqual(response.json(), body);
    assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    if (status === 401 || body === MISSING) assert.equal(response.headers['www-authenticate'], challenge);
  }

  test('a valid token and API key pass', async () => {
    const response = await call({ authorization: `Bearer ${valid}`, 'x-api-key': 'client-a' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { customers: [] });
  });

  test('missing token: 403 4117 with a realm challenge and no error code', async () => {
    assertRefused(await call({ 'x-api-key': 'client-a' }), 403, MISSING, 'Bearer realm="partner-api"');
  });

  test('token in the query string is not accepted', async () => {
    assertRefused(
      await call({ 'x-api-key': 'client-a' }, `/v3/customers?access_token=${valid}`),
      403,
      MISSING,
      'Bearer realm="partner-api"',
    );
    assertRefused(
      await call(
        { authorization: `Bearer ${valid}`, 'x-api-key': 'client-a' },
        `/v3/customers?access_token=${valid}`,
      ),
      401,
      INVALID,
    );
  });

  test('bearer syntax: two spaces, other schemes, empty, no scheme', async () => {
    const signed = valid.slice(0, valid.lastIndexOf('.') + 1); // header.payload.
    const signature = Buffer.from(valid.slice(signed.length), 'base64url');
    for (const value of [
      `Bearer  ${valid}`,
      `Bearer ${valid} `,
      `Basic ${valid}`,
      'Bearer ',
      'Bearer',
      valid,
      `Bearer\t${valid}`,
      // b64token but not a compact JWS: padding, the signature's bytes in standard base64 (the same bytes to a
      // lenient decoder), a fourth segment, an empty segment.
      `Bearer ${valid}=`,
      `Bearer ${signed}${signature.toString('base64')}`,
      `Bearer ${valid}.x`,
      `Bearer ${signed}`,
    ]) {
      assertRefused(await call({ authorization: value, 'x-api-key': 'client-a' }), 401, INVALID);
    }
  });

  test('the scheme is case-insensitive (RFC 6750)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const response = await call({ authorization: `${scheme} ${valid}`, 'x-api-key': 'client-a' });
      assert.equal(response.statusCode, 200, scheme);
    }
  });

  test('two Authorization headers are refused', async () => {
    const response = await call({
      authorization: [`Bearer ${valid}`, `Bearer ${valid}`],
      'x-api-key': 'client-a',
    });
    assertRefused(response, 401, INVALID);
  });

  test('alg none, HS256 keyed with the public key, another RSA key: refused without any outbound request', async () => {
    const claims = accessTokenClaims({
      issuer: gw.ims.url,
      clientId: 'client-a',
      orgId: 'org-a@AdobeOrg',
      iat: Math.floor(Date.now() / 1000),
    });
    const header = { kid: gw.key.kid, x5u: `${gw.key.kid}.cer`, itt: 'at' };
    const pem = gw.key.publicKey.export({ type: 'spki', format: 'pem' });
    const clientKey = createTestSigningKey(gw.key.kid); // a client's certificate key, naming the IMS kid
    const forged = [
      unsignedToken(header, claims),
      hs256Token(header, claims, pem),
      hs256Token(header, claims, JSON.stringify(gw.key.jwk)),
      await mintAccessToken(clientKey, {
        issuer: gw.ims.url,
        clientId: 'client-a',
        orgId: 'org-a@AdobeOrg',
        iat: claims.iat as number,
      }),
    ];
    const before = outboundBefore();
    for (const token of forged)
      assertRefused(await call({ authorization: `Bearer ${token}`, 'x-api-key': 'client-a' }), 401, INVALID);
    assert.equal(gw.fetch.urls.length, before);
  });

  test('jku, jwk, x5c, x5u pointing elsewhere: refused, nothing fetched', async () => {
    const attacker = createTestSigningKey('attacker');
    const base = {
      issuer: gw.ims.url,
      clientId: 'client-a',
      orgId: 'org-a@AdobeOrg',
      iat: Math.floor(Date.now() / 1000),
    };
    const headers = [
      { jku: 'http://127.0.0.1:1/jwks.json', kid: 'attacker' },
      { jku: `${gw.ims.url}/ims/keys`, kid: gw.key.kid },
      { jwk: attacker.jwk, kid: 'attacker' },
      { x5c: ['MIIB'], kid: gw.key.kid },
      { x5u: 'http://127.0.0.1:1/attacker.cer', kid: gw.key.kid },
      { x5u: 'attacker.cer', kid: gw.key.kid },
    ];
    const before = outboundBefore();
    for (const header of headers) {
      const token = await mintAccessToken(attacker, { ...base, header });
      assertRefused(await call({ authorization: `Bearer ${token}`, 'x-api-key': 'client-a' }), 401, INVALID);
    }
    // The same parameters on a token signed by the real IMS key are refused too: they are never honoured.
    for (const header of headers.slice(0, 4)) {
      const token = await mintAccessToken(gw.key, { ...base, header: { ...header, kid: gw.key.kid } });
      assertRefused(await call({ authorization: `Bearer ${token}`, 'x-api-key': 'client-a' }), 401, INVALID);
    }
    assert.equal(gw.fetch.urls.length, before, gw.fetch.urls.join());
  });

  test('expired token, wrong type, another environment’s issuer', async () => {
    const now = Math.floor(gw.clock.now() / 1000);
    for (const input of [
      { iat: now - 7200, lifetimeSeconds: 3600 },
      { claims: { type: 'refresh_token' } },
      { issuer: 'https://ims-na1.adobelogin.com' },
      { claims: { client_id: 42 } },
    ]) {
      const token = await gw.token(input);
      assertRefused(await call({ authorization: `Bearer ${token}`, 'x-api-key': 'client-a' }), 401, INVALID);
    }
  });

  test('X-Api-Key of another client, missing, or twice: 403 4115', async () => {
    assertRefused(await call({ authorization: `Bearer ${valid}`, 'x-api-key': 'client-b' }), 403, API_KEY);
    assertRefused(await call({ authorization: `Bearer ${valid}` }), 403, API_KEY);
    assertRefused(
      await call({ authorization: `Bearer ${valid}`, 'x-api-key': ['client-a', 'client-a'] }),
      403,
      API_KEY,
    );
  });

  test('a token without the ent_partners_sdk metascope: 403 4121', async () => {
    const token = await gw.token({ scope: 'openid,AdobeID' });
    const response = await call({ authorization: `Bearer ${token}`, 'x-api-key': 'client-a' });
    assertRefused(response, 403, { code: '4121', message: 'Not allowed to access this resource.' });
  });

  test('a forged X-Pims-Org-Id is replaced by the token’s org', async () => {
    const other = await gw.token({ clientId: 'client-b', orgId: 'org-b@AdobeOrg' });
    const created = await gw.app.inject({
      method: 'POST',
      url: '/v3/customers',
      headers: { authorization: `Bearer ${other}`, 'x-api-key': 'client-b' },
      payload: { name: 'Only B' },
    });
    assert.equal(created.statusCode, 201);
    const response = await call({
      authorization: `Bearer ${valid}`,
      'x-api-key': 'client-a',
      'x-pims-org-id': 'org-b@AdobeOrg',
      'X-PIMS-ORG-ID': 'org-b@AdobeOrg',
    });
    assert.deepEqual(response.json(), { customers: [] });
  });

  test('headers over 8 KiB and a 100 KiB token: 431 / 401 before any crypto', async () => {
    assertRefused(
      await call({
        authorization: `Bearer ${valid}`,
        'x-api-key': 'client-a',
        'x-filler': 'a'.repeat(8 * 1024),
      }),
      431,
      { code: '431', message: 'Request headers are too large.' },
    );
    assertRefused(
      await call({ authorization: `Bearer ${'a'.repeat(100 * 1024)}`, 'x-api-key': 'client-a' }),
      431,
      {
        code: '431',
        message: 'Request headers are too large.',
      },
    );
    const gw2 = await gatewayUnderTest({ ims: gw.ims, key: gw.key, maxHeaderBytes: 1024 * 1024 });
    try {
      const response = await gw2.app.inject({
        url: '/v3/customers',
        headers: { authorization: `Bearer ${'a'.repeat(100 * 1024)}.b.c`, 'x-api-key': 'client-a' },
      });
      assertRefused(response, 401, INVALID);
    } finally {
      await gw2.close();
    }
  });

  test('a sane X-Request-Id is echoed, others replaced', async () => {
    const echoed = await call({ 'x-request-id': 'abc-123' }, '/ping');
    assert.equal(echoed.headers['x-request-id'], 'abc-123');
    const replaced = await call({ 'x-request-id': 'a b<script>' }, '/ping');
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});
