/**
 * `POST /ims/exchange/jwt` in process over real SQLite: the happy path, wire formats, and the attacks of SECURITY
 * EX-1…EX-10. Every rejection asserts the exact status and body, `Cache-Control: no-store`, and that nothing but an
 * audit row was written.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { errorCatalogue, type ImsErrorCode } from '@pims/contracts';
import FormData from 'form-data';
import { SignJWT, base64url } from 'jose';
import { HOUR, IMS_URL, createTestIms, form, type SeededClient, type TestIms } from './test-support.js';

let ims: TestIms;
let client: SeededClient;
let other: SeededClient;

before(async () => {
  ims = await createTestIms();
  client = await ims.seedClient({ keyIndex: 0 });
  other = await ims.seedClient({ keyIndex: 1 });
});
after(() => ims.close());

const exchange = (params: Record<string, string>, url = '/ims/exchange/jwt') =>
  ims.app.inject({ method: 'POST', url, ...form(params) });
const paramsFor = (c: SeededClient, jwt: string) => ({
  client_id: c.credential.clientId,
  client_secret: c.clientSecret,
  jwt_token: jwt,
});

/** Sends, then checks the exact error and that only an audit row was added. */
async function rejected(
  send: () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>,
  code: ImsErrorCode,
) {
  const before = await ims.counts();
  const response = await send();
  const entry = errorCatalogue[code];
  assert.equal(response.statusCode, entry.status, `${code}: ${response.body}`);
  assert.deepEqual(JSON.parse(response.body), { error: entry.wire, error_description: entry.description });
  assert.equal(response.headers['cache-control'], 'no-store');
  const afterCounts = await ims.counts();
  assert.equal(afterCounts.usedAssertions, before.usedAssertions, 'no used-assertion row');
  assert.equal(afterCounts.revocations, before.revocations);
  assert.ok(afterCounts.audit - before.audit <= 1, 'at most the audit row');
  return response;
}

const unsigned = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

void describe('success', () => {
  test('urlencoded, on all three paths: bearer token with expires_in in milliseconds', async () => {
    for (const url of ['/ims/exchange/jwt', '/ims/exchange/jwt/', '/ims/exchange/v1/jwt']) {
      const response = await exchange(
        paramsFor(client, await ims.assertion(client, { jti: `ok-${url}` })),
        url,
      );
      assert.equal(response.statusCode, 200, response.body);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(body.token_type, 'bearer');
      assert.equal(body.expires_in, 86_400_000);
      assert.equal(response.headers['cache-control'], 'no-store');
      const validated = await ims.app.inject({
        method: 'GET',
        url: '/ims/validate_token/v1?type=access_token',
        headers: { authorization: `Bearer ${String(body.access_token)}` },
      });
      const result = JSON.parse(validated.body) as { valid: boolean; token: Record<string, unknown> };
      assert.equal(result.valid, true);
      assert.equal(result.token.client_id, client.credential.clientId);
      assert.equal(result.token.org, client.credential.orgId);
      assert.equal(result.token.scope, 'openid,AdobeID,ent_partners_sdk');
    }
  });

  test('multipart from the form-data package parses', async () => {
    const body = new FormData();
    for (const [name, value] of Object.entries(
      paramsFor(client, await ims.assertion(client, { jti: 'multipart-1' })),
    )) {
      body.append(name, value);
    }
    const response = await ims.app.inject({
      method: 'POST',
      url: '/ims/exchange/jwt',
      headers: body.getHeaders(),
      payload: body.getBuffer(),
    });
    assert.equal(response.statusCode, 200, response.body);
  });

  test('without a jti the same assertion returns the same access token', async () => {
    const jwt = await ims.assertion(client);
    const first = await exchange(paramsFor(client, jwt));
    const second = await exchange(paramsFor(client, jwt));
    assert.equal(first.statusCode, 200);
    const token = (body: string) => (JSON.parse(body) as { access_token: string }).access_token;
    assert.equal(token(second.body), token(first.body));
  });
});

void describe('attacks (EX-1…EX-10)', () => {
  test('alg none', async () => {
    const { credential } = client;
    const jwt = unsigned(
      { alg: 'none' },
      {
        exp: Math.floor(ims.clock.now() / 1000) + 60,
        iss: credential.orgId,
        sub: credential.technicalAccountId,
        aud: `${IMS_URL}/c/${credential.clientId}`,
        [`${IMS_URL}/s/ent_partners_sdk`]: true,
      },
    );
    await rejected(() => exchange(paramsFor(client, jwt)), 'ims.invalid_signature');
  });

  test('HS256 signed with the certificate public key as the secret', async () => {
    const [row] = await ims.storage.certificates.listCertificates(
      client.credential.orgId,
      client.credential.id,
    );
    const secret = new TextEncoder().encode(row?.pem);
    const jwt = await new SignJWT({
      exp: Math.floor(ims.clock.now() / 1000) + 60,
      iss: client.credential.orgId,
      sub: client.credential.technicalAccountId,
      aud: `${IMS_URL}/c/${client.credential.clientId}`,
      [`${IMS_URL}/s/ent_partners_sdk`]: true,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    await rejected(() => exchange(paramsFor(client, jwt)), 'ims.invalid_signature');
  });

  test('signed by another credential key, or by a key named in the header (jwk, jku, x5c, x5u, crit, kid)', async () => {
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, {}, { key: other.privateKey }))),
      'ims.invalid_signature',
    );
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    for (const header of [
      { jwk },
      { jku: 'https://evil.example/jwks' },
      { x5c: ['MIIB'] },
      { x5u: 'https://evil.example/c' },
      { crit: ['exp'] },
    ]) {
      await rejected(
        async () =>
          exchange(paramsFor(client, await ims.assertion(client, {}, { key: attacker.privateKey, header }))),
        'ims.invalid_signature',
      );
    }
    // A kid naming the other credential's certificate changes nothing: only this credential's certificates are tried.
    await rejected(
      async () =>
        exchange(
          paramsFor(
            client,
            await ims.assertion(client, {}, { key: other.privateKey, header: { kid: other.credential.id } }),
          ),
        ),
      'ims.invalid_signature',
    );
  });

  test('an expired certificate, or one not yet valid', async () => {
    const expired = await ims.seedClient({
      keyIndex: 2,
      notBefore: ims.clock.now() - 48 * HOUR,
      notAfter: ims.clock.now() - HOUR,
    });
    await rejected(
      async () => exchange(paramsFor(expired, await ims.assertion(expired))),
      'ims.invalid_signature',
    );
    const future = await ims.seedClient({ keyIndex: 2, notBefore: ims.clock.now() + HOUR });
    await rejected(
      async () => exchange(paramsFor(future, await ims.assertion(future))),
      'ims.invalid_signature',
    );
  });

  test('aud of another client, of another environment, as an array', async () => {
    await rejected(
      async () =>
        exchange(
          paramsFor(
            client,
            await ims.assertion(client, { aud: `${IMS_URL}/c/${other.credential.clientId}` }),
          ),
        ),
      'ims.audience_mismatch',
    );
    await rejected(
      async () =>
        exchange(
          paramsFor(
            client,
            await ims.assertion(client, {
              aud: `https://ims-na1.adobelogin.com/c/${client.credential.clientId}`,
            }),
          ),
        ),
      'ims.audience_mismatch',
    );
    await rejected(
      async () =>
        exchange(
          paramsFor(
            client,
            await ims.assertion(client, { aud: [`${IMS_URL}/c/${client.credential.clientId}`] }),
          ),
        ),
      'ims.token_claims_invalid',
    );
  });

  test('iss of another org, sub of another technical account', async () => {
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { iss: other.credential.orgId }))),
      'ims.token_claims_invalid',
    );
    await rejected(
      async () =>
        exchange(
          paramsFor(client, await ims.assertion(client, { sub: other.credential.technicalAccountId })),
        ),
      'ims.token_claims_invalid',
    );
  });

  test('exp as a string, missing, in the past, 25 h ahead; iat 2 min ahead', async () => {
    const seconds = Math.floor(ims.clock.now() / 1000);
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { exp: String(seconds + 60) }))),
      'ims.token_claims_invalid',
    );
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, {}, { omit: ['exp'] }))),
      'ims.token_claims_invalid',
    );
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { exp: seconds - 31 }))),
      'ims.token_expired',
    );
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { exp: seconds + 25 * 3600 }))),
      'ims.token_lifetime_too_long',
    );
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { iat: seconds + 120 }))),
      'ims.token_claims_invalid',
    );
  });

  test('metascope "true" as a string, unknown metascope, no metascope', async () => {
    const claim = `${IMS_URL}/s/ent_partners_sdk`;
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, { [claim]: 'true' }))),
      'ims.invalid_scope',
    );
    await rejected(
      async () =>
        exchange(paramsFor(client, await ims.assertion(client, { [`${IMS_URL}/s/ent_admin`]: true }))),
      'ims.invalid_scope',
    );
    await rejected(
      async () => exchange(paramsFor(client, await ims.assertion(client, {}, { omit: [claim] }))),
      'ims.invalid_scope',
    );
  });

  test('replay with a jti, serially and 50 concurrently: exactly one 200', async () => {
    const serial = await ims.assertion(client, { jti: 'replay-serial' });
    assert.equal((await exchange(paramsFor(client, serial))).statusCode, 200);
    await rejected(() => exchange(paramsFor(client, serial)), 'ims.token_replayed');

    const jwt = await ims.assertion(client, { jti: 'replay-concurrent' });
    const responses = await Promise.all(Array.from({ length: 50 }, () => exchange(paramsFor(client, jwt))));
    assert.equal(responses.filter((r) => r.statusCode === 200).length, 1);
    const replayed = errorCatalogue['ims.token_replayed'];
    for (const r of responses.filter((x) => x.statusCode !== 200)) {
      assert.deepEqual(JSON.parse(r.body), { error: replayed.wire, error_description: replayed.description });
    }
  });

  test('duplicated parameters, urlencoded and multipart', async () => {
    const jwt = await ims.assertion(client, { jti: 'dup' });
    const payload = `${new URLSearchParams(paramsFor(client, jwt)).toString()}&client_id=${client.credential.clientId}`;
    await rejected(
      () =>
        ims.app.inject({
          method: 'POST',
          url: '/ims/exchange/jwt',
          payload,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      'ims.duplicate_parameter',
    );
    const body = new FormData();
    for (const [name, value] of Object.entries(paramsFor(client, jwt))) body.append(name, value);
    body.append('jwt_token', jwt);
    await rejected(
      () =>
        ims.app.inject({
          method: 'POST',
          url: '/ims/exchange/jwt',
          headers: body.getHeaders(),
          payload: body.getBuffer(),
        }),
      'ims.duplicate_parameter',
    );
  });

  test('secret in the query string', async () => {
    const jwt = await ims.assertion(client, { jti: 'query' });
    await rejected(
      () =>
        ims.app.inject({
          method: 'POST',
          url: `/ims/exchange/jwt?client_secret=${client.clientSecret}`,
          ...form({ client_id: client.credential.clientId, jwt_token: jwt }),
        }),
      'ims.secret_in_query',
    );
  });

  test('oversized body (413), JSON body (415), missing parameters', async () => {
    await rejected(
      () => exchange({ ...paramsFor(client, 'x'), pad: 'x'.repeat(70_000) }),
      'ims.payload_too_large',
    );
    await rejected(
      () =>
        ims.app.inject({
          method: 'POST',
          url: '/ims/exchange/jwt',
          payload: JSON.stringify(paramsFor(client, 'x')),
          headers: { 'content-type': 'application/json' },
        }),
      'ims.unsupported_media_type',
    );
    await rejected(
      () => exchange({ client_id: client.credential.clientId, client_secret: client.clientSecret }),
      'ims.token_missing',
    );
    await rejected(() => exchange({ client_secret: client.clientSecret, jwt_token: 'x' }), 'ims.bad_request');
  });

  test('wrong secret (401), unknown client, disabled credential, malformed assertion', async () => {
    const jwt = await ims.assertion(client, { jti: 'auth' });
    const wrong = await rejected(
      () => exchange({ ...paramsFor(client, jwt), client_secret: 'p8e-wrong' }),
      'ims.invalid_client_secret',
    );
    assert.ok(!wrong.body.includes('p8e-wrong'));
    await rejected(
      () => exchange({ ...paramsFor(client, jwt), client_id: 'f'.repeat(32) }),
      'ims.invalid_client',
    );
    const disabled = await ims.seedClient({ status: 'disabled' });
    await rejected(
      async () => exchange(paramsFor(disabled, await ims.assertion(disabled))),
      'ims.client_disabled',
    );
    await rejected(() => exchange(paramsFor(client, 'not.a.jwt')), 'ims.token_malformed');
  });

  test('rate limit per client before any RSA work: 429 with Retry-After', async () => {
    const limited = await createTestIms({ rateLimitClient: 2 });
    try {
      const c = await limited.seedClient();
      for (let i = 0; i < 2; i += 1)
        await limited.app.inject({
          method: 'POST',
          url: '/ims/exchange/jwt',
          ...form({ client_id: c.credential.clientId, client_secret: 'x', jwt_token: 'x' }),
        });
      const response = await limited.app.inject({
        method: 'POST',
        url: '/ims/exchange/jwt',
        ...form(paramsFor(c, await limited.assertion(c))),
      });
      assert.equal(response.statusCode, 429);
      assert.deepEqual(JSON.parse(response.body), {
        error: 'rate_limited',
        error_description: errorCatalogue['ims.rate_limited'].description,
      });
      assert.ok(Number(response.headers['retry-after']) >= 1);
    } finally {
      await limited.close();
    }
  });
});
