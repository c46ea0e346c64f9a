/**
 * `/ims/exchange/jwt` answers a `form-data` multipart body (what Adobe's Node clients send) exactly as it answers the
 * same parameters urlencoded (DESIGN §3.1): same status, same body shape, equivalent tokens, same errors.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import FormData from 'form-data';
import { SignJWT, importPKCS8 } from 'jose';
import { startImsHarness, type ImsHarness } from '../ims-harness.js';
import { assertImsAccessToken, type AdobeAccessTokenClaims } from './token-checks.js';

type Fields = [string, string][];

interface Answer {
  status: number;
  cacheControl: string | null;
  body: Record<string, unknown>;
}

describe('multipart (form-data) and urlencoded exchanges are equivalent', () => {
  let ims: ImsHarness;
  before(async () => {
    ims = await startImsHarness();
  });
  after(async () => {
    await ims?.stop();
  });

  async function assertion(extra: Record<string, unknown> = {}): Promise<string> {
    const { credentials } = ims;
    return new SignJWT({
      iss: credentials.orgId,
      sub: credentials.technicalAccountId,
      aud: `${ims.url}/c/${credentials.clientId}`,
      [`${ims.url}/s/ent_partners_sdk`]: true,
      ...extra,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('5m')
      .sign(await importPKCS8(ims.privateKeyPem, 'RS256'));
  }

  const fields = (jwt: string, secret = ims.credentials.clientSecret): Fields => [
    ['client_id', ims.credentials.clientId],
    ['client_secret', secret],
    ['jwt_token', jwt],
  ];

  async function answer(response: Response): Promise<Answer> {
    return {
      status: response.status,
      cacheControl: response.headers.get('cache-control'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  async function multipart(body: Fields): Promise<Answer> {
    const form = new FormData();
    for (const [name, value] of body) form.append(name, value);
    const response = await fetch(`${ims.url}/ims/exchange/jwt`, {
      method: 'POST',
      headers: form.getHeaders(),
      body: form.getBuffer(),
    });
    assert.match(form.getHeaders()['content-type'] as string, /^multipart\/form-data; boundary=/);
    return answer(response);
  }

  async function urlencoded(body: Fields): Promise<Answer> {
    const response = await fetch(`${ims.url}/ims/exchange/jwt`, {
      method: 'POST',
      body: new URLSearchParams(body),
    });
    return answer(response);
  }

  const expected = () => ({
    imsUrl: ims.url,
    clientId: ims.credentials.clientId,
    orgId: ims.credentials.orgId,
    technicalAccountId: ims.credentials.technicalAccountId,
    scopes: ['ent_partners_sdk'],
  });

  /** The claims that identify what was granted, without the per-token id and times. */
  const grant = ({ id: _id, jti: _jti, created_at: _c, iat: _i, exp: _e, ...rest }: AdobeAccessTokenClaims) =>
    rest;

  test('assertions with a jti: both encodings get 200, the same body shape and equivalent tokens', async () => {
    const viaMultipart = await multipart(fields(await assertion({ jti: randomUUID() })));
    const viaUrlencoded = await urlencoded(fields(await assertion({ jti: randomUUID() })));
    for (const result of [viaMultipart, viaUrlencoded]) {
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(Object.keys(result.body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(result.body.token_type, 'bearer');
      assert.equal(typeof result.body.expires_in, 'number');
      assert.ok((result.body.expires_in as number) > 86_300_000, 'expires_in in milliseconds');
    }
    const a = await assertImsAccessToken(viaMultipart.body.access_token as string, expected());
    const b = await assertImsAccessToken(viaUrlencoded.body.access_token as string, expected());
    assert.notEqual(a.id, b.id);
    assert.deepEqual(grant(b), grant(a));
  });

  test('one assertion without a jti, sent multipart then urlencoded, gets the same token both times', async () => {
    const jwt = await assertion();
    const viaMultipart = await multipart(fields(jwt));
    const viaUrlencoded = await urlencoded(fields(jwt));
    assert.equal(viaMultipart.status, 200, JSON.stringify(viaMultipart.body));
    assert.equal(viaUrlencoded.status, 200, JSON.stringify(viaUrlencoded.body));
    assert.equal(viaUrlencoded.body.access_token, viaMultipart.body.access_token);
  });

  test('the same errors in both encodings', async () => {
    const cases: [string, Fields][] = [
      ['wrong secret', fields(await assertion({ jti: randomUUID() }), 'not-the-secret')],
      ['jwt_token missing', fields('').filter(([name]) => name !== 'jwt_token')],
      ['a parameter given twice', [...fields(await assertion({ jti: randomUUID() })), ['client_id', 'x']]],
      ['undecodable assertion', fields('not.a.jwt')],
    ];
    for (const [name, body] of cases) {
      const viaMultipart = await multipart(body);
      const viaUrlencoded = await urlencoded(body);
      assert.ok(viaMultipart.status >= 400, `${name}: ${viaMultipart.status}`);
      assert.deepEqual(viaUrlencoded, viaMultipart, name);
      assert.equal(viaMultipart.cacheControl, 'no-store', name);
      assert.deepEqual(Object.keys(viaMultipart.body).sort(), ['error', 'error_description'], name);
    }
    assert.equal((await multipart(cases[0]![1])).status, 401);
  });
});
