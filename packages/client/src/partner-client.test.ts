import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { ConfigurationError, PartnerApiError } from './errors.js';
import { createPartnerClient, type PartnerClientOptions } from './partner-client.js';
import { startFakeIms, type FakeIms } from './testing/fake-ims.js';
import { startFakePartnerApi, type FakePartnerApi } from './testing/fake-partner-api.js';
import { jwtTestCredentials, oauthTestCredentials, TEST_CLIENT, testImsClient } from './testing/fixtures.js';

let ims: FakeIms;
let api: FakePartnerApi;
const revoked = new Set<string>();
void before(async () => {
  ims = await startFakeIms({ clients: [testImsClient(), { ...testImsClient(), clientId: 'other-client' }] });
  api = await startFakePartnerApi({
    clientId: TEST_CLIENT.clientId,
    isValidToken: (token) => ims.issued.has(token) && !revoked.has(token),
  });
});
void beforeEach(() => ims.clearFaults());
void after(async () => {
  await ims.close();
  await api.close();
});

const client = (options: Partial<PartnerClientOptions> = {}) =>
  createPartnerClient({
    environment: { imsUrl: ims.url, apiUrl: api.url },
    credentials: jwtTestCredentials(),
    ...options,
  });

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

void test('fetch adds bearer, X-Api-Key, request and correlation ids and JSON headers', async () => {
  const c = client();
  const res = await c.fetch('/v3/customers', {
    method: 'POST',
    json: { name: 'ACME' },
    correlationId: 'order-42',
  });
  assert.equal(res.status, 201);
  assert.deepEqual(await res.json(), { id: 'c-1', name: 'ACME' });
  const seen = api.requests.at(-1);
  assert.equal(seen?.headers.authorization, `Bearer ${await c.getAccessToken()}`);
  assert.equal(seen?.headers['x-api-key'], TEST_CLIENT.clientId);
  assert.match(String(seen?.headers['x-request-id']), uuid);
  assert.equal(seen?.headers['x-correlation-id'], 'order-42');
  assert.equal(seen?.headers.accept, 'application/json');
  assert.equal(seen?.headers['content-type'], 'application/json');
  assert.equal(seen?.body, '{"name":"ACME"}');

  await c.fetch('v3/customers');
  const get = api.requests.at(-1);
  assert.equal(get?.headers['content-type'], undefined);
  assert.match(String(get?.headers['x-correlation-id']), uuid);
});

void test('request() parses JSON and throws PartnerApiError with the API code and request id', async () => {
  const c = client({ credentials: oauthTestCredentials() });
  assert.deepEqual(await c.request('/v3/customers'), { items: [] });
  await assert.rejects(c.request('/v3/nothing', { headers: { 'x-request-id': 'rq-1' } }), (e: unknown) => {
    assert.ok(e instanceof PartnerApiError);
    assert.equal(e.code, 'partner_api_error');
    assert.equal(e.status, 404);
    assert.equal(e.apiCode, '404');
    assert.equal(e.requestId, 'rq-1');
    return true;
  });
});

void test('a 401 with code 4116 invalidates the token, gets a new one and retries once', async () => {
  const c = client();
  const first = await c.getAccessToken();
  revoked.add(first);
  const exchanges = ims.count('/ims/exchange/jwt');
  const res = await c.fetch('/v3/customers', { method: 'POST', json: { name: 'again' } });
  assert.equal(res.status, 201);
  assert.equal(ims.count('/ims/exchange/jwt') - exchanges, 1);
  const [rejected, retried] = api.requests.slice(-2);
  assert.equal(rejected?.headers.authorization, `Bearer ${first}`);
  assert.notEqual(retried?.headers.authorization, `Bearer ${first}`);
  assert.equal(retried?.body, '{"name":"again"}');
});

void test('only one retry: a second 4116 is returned to the caller', async () => {
  const c = client();
  const original = ims.issued.add.bind(ims.issued);
  // Every token the IMS issues from now on is revoked at once.
  ims.issued.add = (token: string) => (revoked.add(token), original(token));
  try {
    const before = api.requests.length;
    const res = await c.fetch('/v3/customers');
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { code: '4116', message: 'Token invalid' });
    assert.equal(api.requests.length - before, 2);
  } finally {
    ims.issued.add = original;
  }
});

void test('ping() needs no token; ping({ authenticated: true }) sends one', async () => {
  const c = client();
  const exchanges = ims.count('/ims/exchange/jwt');
  const open = await c.ping();
  assert.equal(open.body, 'pong');
  assert.equal(open.status, 200);
  assert.equal(api.requests.at(-1)?.headers.authorization, undefined);
  assert.equal(ims.count('/ims/exchange/jwt'), exchanges);
  const authed = await c.ping({ authenticated: true });
  assert.equal(authed.body, 'pong');
  assert.match(String(api.requests.at(-1)?.headers.authorization), /^Bearer fake-at\./);
  assert.equal(api.requests.at(-1)?.headers['x-api-key'], TEST_CLIENT.clientId);
});

void test('ping() with a rejected key throws PartnerApiError', async () => {
  // A valid token of another client: the gateway refuses its X-Api-Key with 4115.
  const other = client({ credentials: { ...oauthTestCredentials(), clientId: 'other-client' } });
  await assert.rejects(other.ping({ authenticated: true }), (e: unknown) => {
    assert.ok(e instanceof PartnerApiError);
    assert.equal(e.status, 403);
    assert.equal(e.apiCode, '4115');
    assert.match(e.message, /GET \/ping answered 403 4115 API key invalid/);
    return true;
  });
});

void test('absolute URLs are refused so the token only goes to the API URL', async () => {
  const c = client();
  await assert.rejects(c.fetch('https://evil.example/steal'), ConfigurationError);
  await assert.rejects(c.fetch('//evil.example/steal'), ConfigurationError);
});

void test('the environment presets are used by name', () => {
  const c = createPartnerClient({ environment: 'production', credentials: oauthTestCredentials() });
  assert.equal(c.environment.apiUrl, 'https://partners.adobe.io');
  assert.equal(c.tokens.cacheKey.startsWith('pims-token:v1:'), true);
});
