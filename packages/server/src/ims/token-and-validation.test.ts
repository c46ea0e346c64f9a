/** `/ims/token/v3|v2`, `/ims/validate_token/v1`, `/ims/invalidate_token/v2` and `/ims/revocations`, in process. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCatalogue, type ImsErrorCode } from '@pims/contracts';
import { HOUR, createTestIms, form, type SeededClient, type TestIms } from './test-support.js';

let ims: TestIms;
let client: SeededClient;
let other: SeededClient;

before(async () => {
  ims = await createTestIms();
  client = await ims.seedClient();
  other = await ims.seedClient({ keyIndex: 1 });
});
after(() => ims.close());

const post = (url: string, params: Record<string, string>) =>
  ims.app.inject({ method: 'POST', url, ...form(params) });
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;
function assertError(
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
  code: ImsErrorCode,
) {
  const entry = errorCatalogue[code];
  assert.equal(response.statusCode, entry.status, response.body);
  assert.deepEqual(json(response.body), { error: entry.wire, error_description: entry.description });
  assert.equal(response.headers['cache-control'], 'no-store');
}
const creds = (c: SeededClient) => ({ client_id: c.credential.clientId, client_secret: c.clientSecret });

async function oauthToken(c: SeededClient, extra: Record<string, string> = {}): Promise<string> {
  const response = await post('/ims/token/v3', { grant_type: 'client_credentials', ...creds(c), ...extra });
  assert.equal(response.statusCode, 200, response.body);
  return json(response.body).access_token as string;
}

async function validate(token: string): Promise<Record<string, unknown>> {
  const response = await post('/ims/validate_token/v1', { type: 'access_token', token });
  assert.equal(response.statusCode, 200, response.body);
  return json(response.body);
}

void describe('client credentials', () => {
  test('v3 and v2: expires_in in seconds, all bound scopes by default, a subset when asked', async () => {
    for (const url of ['/ims/token/v3', '/ims/token/v2']) {
      const response = await post(url, { grant_type: 'client_credentials', ...creds(client) });
      assert.equal(response.statusCode, 200, response.body);
      const body = json(response.body);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(body.expires_in, 86_400);
      assert.equal(body.token_type, 'bearer');
    }
    const all = await validate(await oauthToken(client));
    assert.equal((all.token as Record<string, unknown>).scope, 'openid,AdobeID,ent_partners_sdk');
    const some = await validate(await oauthToken(client, { scope: 'ent_partners_sdk,openid' }));
    assert.equal((some.token as Record<string, unknown>).scope, 'openid,ent_partners_sdk');
  });

  test('parameters may come in the query, except the secret', async () => {
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.credential.clientId,
    });
    const ok = await ims.app.inject({
      method: 'POST',
      url: `/ims/token/v3?${query.toString()}`,
      ...form({ client_secret: client.clientSecret }),
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const leaked = await ims.app.inject({
      method: 'POST',
      url: `/ims/token/v3?${query.toString()}&client_secret=${client.clientSecret}`,
      ...form({}),
    });
    assertError(leaked, 'ims.secret_in_query');
    const twice = await ims.app.inject({
      method: 'POST',
      url: `/ims/token/v3?${query.toString()}`,
      ...form({ client_id: client.credential.clientId, client_secret: client.clientSecret }),
    });
    assertError(twice, 'ims.duplicate_parameter');
  });

  test('unknown grant, scope beyond the binding, oauth not enabled, wrong secret, org_id of another org', async () => {
    assertError(
      await post('/ims/token/v3', { grant_type: 'password', ...creds(client) }),
      'ims.unsupported_grant_type',
    );
    assertError(
      await post('/ims/token/v3', {
        grant_type: 'client_credentials',
        ...creds(client),
        scope: 'openid,admin',
      }),
      'ims.invalid_scope',
    );
    const jwtOnly = await ims.seedClient({ oauthEnabled: false });
    assertError(
      await post('/ims/token/v3', { grant_type: 'client_credentials', ...creds(jwtOnly) }),
      'ims.unsupported_grant_type',
    );
    assertError(
      await post('/ims/token/v3', {
        grant_type: 'client_credentials',
        ...creds(client),
        client_secret: 'nope',
      }),
      'ims.invalid_client_secret',
    );
    assertError(
      await post('/ims/token/v2', {
        grant_type: 'client_credentials',
        ...creds(client),
        org_id: other.credential.orgId,
      }),
      'ims.invalid_client',
    );
  });

  test('a second secret works during rotation, a removed one fails at once', async () => {
    const secrets = await ims.storage.clientSecrets.listClientSecrets(
      client.credential.orgId,
      client.credential.id,
    );
    const { keyedHash } = await import('@pims/core');
    await ims.storage.clientSecrets.insertClientSecret(client.credential.orgId, {
      id: '00000000-0000-4000-8000-000000000001',
      credentialId: client.credential.id,
      secretHash: keyedHash(Buffer.alloc(32, 9), 'p8e-second'),
      hint: 'cond',
      createdAt: ims.clock.now(),
      lastUsedAt: null,
    });
    ims.ims.services.clients.invalidate(client.credential.clientId);
    await oauthToken({ ...client, clientSecret: 'p8e-second' });
    await oauthToken(client);
    await ims.storage.clientSecrets.deleteClientSecretById(client.credential.orgId, secrets[0]?.id ?? '');
    ims.ims.services.clients.invalidate(client.credential.clientId);
    assertError(
      await post('/ims/token/v3', { grant_type: 'client_credentials', ...creds(client) }),
      'ims.invalid_client_secret',
    );
    client = { ...client, clientSecret: 'p8e-second' };
  });
});

void describe('validation, revocation and the feed', () => {
  test('validate_token: valid with claims, by bearer header too; invalid with a reason', async () => {
    const token = await oauthToken(client);
    const result = await validate(token);
    assert.equal(result.valid, true);
    assert.equal(typeof result.expires_at, 'number');
    const byHeader = await ims.app.inject({
      method: 'GET',
      url: `/ims/validate_token/v1?type=access_token&client_id=${client.credential.clientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(json(byHeader.body).valid, true);
    const mismatch = await ims.app.inject({
      method: 'GET',
      url: `/ims/validate_token/v1?client_id=${other.credential.clientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(json(mismatch.body), { valid: false, reason: 'client_mismatch' });
    assert.deepEqual(await validate('garbage'), { valid: false, reason: 'malformed' });
    ims.clock.advance(25 * HOUR);
    assert.deepEqual(await validate(token), { valid: false, reason: 'expired' });
  });

  test("invalidate_token: own token revoked and in the feed; another client's token refused; cascading", async () => {
    const feedBefore = json((await ims.app.inject({ method: 'GET', url: '/ims/revocations' })).body);
    const token = await oauthToken(client);
    const refused = await post('/ims/invalidate_token/v2', { ...creds(other), token, type: 'access_token' });
    assertError(refused, 'ims.bad_request');
    const revoked = await post('/ims/invalidate_token/v2', { ...creds(client), token, type: 'access_token' });
    assert.equal(revoked.statusCode, 200, revoked.body);
    const revocation = json(revoked.body).revocation as Record<string, unknown>;
    assert.equal(revocation.kind, 'token');
    assert.deepEqual(await validate(token), { valid: false, reason: 'revoked' });

    const second = await oauthToken(client);
    const cascade = await post('/ims/invalidate_token/v2', { ...creds(client), cascading: 'all' });
    assert.equal((json(cascade.body).revocation as Record<string, unknown>).kind, 'credential');
    assert.deepEqual(await validate(second), { valid: false, reason: 'revoked' });
    ims.clock.advance(1);
    assert.equal((await validate(await oauthToken(client))).valid, true, 'new tokens are fine again');

    const feed = json(
      (await ims.app.inject({ method: 'GET', url: `/ims/revocations?since=${String(feedBefore.cursor)}` }))
        .body,
    );
    const items = feed.revocations as Array<Record<string, unknown>>;
    assert.deepEqual(
      items.map((r) => r.kind),
      ['token', 'credential'],
    );
    assert.equal(items[1]?.subject, client.credential.clientId);
    assert.equal(feed.cursor, items[1]?.seq);
    const bad = await ims.app.inject({ method: 'GET', url: '/ims/revocations?since=abc' });
    assertError(bad, 'ims.bad_request');
  });

  test('revokeOrg: every token of the org issued so far', async () => {
    const token = await oauthToken(other);
    await ims.ims.services.revokeOrg(other.credential.orgId);
    assert.deepEqual(await validate(token), { valid: false, reason: 'revoked' });
  });
});
