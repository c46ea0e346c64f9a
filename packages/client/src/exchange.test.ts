import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createAssertion } from './assertion.js';
import { requestClientCredentialsToken } from './client-credentials.js';
import { AbortedError, ImsError, NetworkError, TimeoutError } from './errors.js';
import { exchangeJwt } from './exchange.js';
import type { FetchLike } from './ims-request.js';
import { refusedPort } from '@pims/testkit';
import { startFakeIms, type FakeIms } from './testing/fake-ims.js';
import { createFakeClock, TEST_CLIENT, testImsClient, testKeys } from './testing/fixtures.js';

let ims: FakeIms;
void before(async () => {
  ims = await startFakeIms({
    clients: [testImsClient()],
    jwtLifetimeMs: 86_399_996,
    oauthLifetimeSeconds: 86_399,
  });
});
void after(() => ims.close());
void beforeEach(() => ims.clearFaults());

const assertion = () =>
  createAssertion({
    imsUrl: ims.url,
    clientId: TEST_CLIENT.clientId,
    orgId: TEST_CLIENT.orgId,
    technicalAccountId: TEST_CLIENT.technicalAccountId,
    privateKey: testKeys().privateKey,
  });

const jwtOptions = () => ({
  imsUrl: ims.url,
  clientId: TEST_CLIENT.clientId,
  clientSecret: TEST_CLIENT.clientSecret,
  assertion,
  clock: createFakeClock(Date.now()),
  random: () => 0.5,
});

const oauthOptions = () => ({
  imsUrl: ims.url,
  clientId: TEST_CLIENT.clientId,
  clientSecret: TEST_CLIENT.clientSecret,
  clock: createFakeClock(Date.now()),
});

async function imsError(promise: Promise<unknown>): Promise<ImsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImsError, `expected ImsError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an ImsError');
}

void test('JWT exchange: urlencoded client_id, client_secret, jwt_token; expires_in read as milliseconds', async () => {
  const options = jwtOptions();
  const before = ims.requests.length;
  const token = await exchangeJwt(options);
  assert.ok(ims.issued.has(token.accessToken));
  assert.equal(token.tokenType, 'bearer');
  assert.equal(token.expiresAt - token.obtainedAt, 86_399_996);
  const request = ims.requests[before];
  assert.equal(request?.path, '/ims/exchange/jwt');
  assert.equal(request?.contentType, 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.keys(request?.form ?? {}), ['client_id', 'client_secret', 'jwt_token']);
});

void test('OAuth server-to-server: grant_type, client_id, client_secret, scope in the body; expires_in in seconds', async () => {
  const before = ims.requests.length;
  const token = await requestClientCredentialsToken({ ...oauthOptions(), scopes: ['ent_partners_sdk'] });
  assert.equal(token.expiresAt - token.obtainedAt, 86_399_000);
  assert.deepEqual(ims.requests[before], {
    path: '/ims/token/v3',
    contentType: 'application/x-www-form-urlencoded',
    form: {
      grant_type: 'client_credentials',
      client_id: TEST_CLIENT.clientId,
      client_secret: TEST_CLIENT.clientSecret,
      scope: 'ent_partners_sdk',
    },
  });
});

void test('OAuth scopes are sent comma-separated', async () => {
  const before = ims.requests.length;
  const error = await imsError(
    requestClientCredentialsToken({ ...oauthOptions(), scopes: ['ent_partners_sdk', 'x'] }),
  );
  assert.equal(ims.requests[before]?.form.scope, 'ent_partners_sdk,x');
  assert.equal(error.error, 'invalid_scope');
});

void test('IMS errors surface code, status, error, error_description and x-debug-id, without secrets', async () => {
  const error = await imsError(exchangeJwt({ ...jwtOptions(), clientSecret: 'wrong-secret-value' }));
  assert.equal(error.code, 'ims_rejected');
  assert.equal(error.status, 401);
  assert.equal(error.error, 'invalid_client');
  assert.equal(error.error_description, 'invalid client secret');
  assert.equal(error.debugId, 'dbg-1');
  assert.doesNotMatch(error.message, /wrong-secret-value|eyJ/);
  assert.match(error.message, /401 invalid_client \(invalid client secret\) \[x-debug-id dbg-1\]/);
  const scope = await imsError(
    exchangeJwt({
      ...jwtOptions(),
      assertion: () => createAssertion({ ...claimsBase(), metaScopes: ['ent_other'] }),
    }),
  );
  assert.equal(scope.error, 'invalid_scope');
  const audience = await imsError(
    exchangeJwt({
      ...jwtOptions(),
      assertion: () => createAssertion({ ...claimsBase(), imsUrl: 'https://elsewhere' }),
    }),
  );
  assert.equal(audience.error, 'invalid_token');
});

function claimsBase() {
  return {
    imsUrl: ims.url,
    clientId: TEST_CLIENT.clientId,
    orgId: TEST_CLIENT.orgId,
    technicalAccountId: TEST_CLIENT.technicalAccountId,
    privateKey: testKeys().privateKey,
  };
}

void test('x-request-id of an IMS answer is surfaced too', async () => {
  ims.fail({
    status: 400,
    body: { error: 'bad_request', error_description: 'malformed' },
    headers: { 'x-request-id': 'rq-9' },
  });
  const error = await imsError(exchangeJwt(jwtOptions()));
  assert.equal(error.requestId, 'rq-9');
  assert.equal(error.error, 'bad_request');
});

void test('503 and 429 are retried (honouring Retry-After), with a fresh assertion each attempt', async () => {
  const options = jwtOptions();
  const before = ims.count('/ims/exchange/jwt');
  ims.fail(
    { status: 503, body: { error: 'server_error', error_description: 'storage down' } },
    { status: 429, headers: { 'retry-after': '2' }, body: { error: 'too_many_requests' } },
  );
  const token = await exchangeJwt(options);
  assert.ok(ims.issued.has(token.accessToken));
  assert.equal(ims.count('/ims/exchange/jwt') - before, 3);
  assert.deepEqual(options.clock.sleeps, [100, 2000]);
  const jwts = ims.requests.slice(-3).map((r) => r.form.jwt_token);
  assert.equal(new Set(jwts).size, 3);
});

void test('a dropped connection is retried as a network error', async () => {
  const options = oauthOptions();
  ims.fail({ kind: 'reset' });
  const token = await requestClientCredentialsToken(options);
  assert.ok(ims.issued.has(token.accessToken));
  assert.equal(options.clock.sleeps.length, 1);
});

void test('400 and 401 are never retried', async () => {
  for (const status of [400, 401]) {
    const options = jwtOptions();
    const before = ims.requests.length;
    ims.fail({ status, body: { error: 'invalid_client', error_description: 'x' } });
    const error = await imsError(exchangeJwt(options));
    assert.equal(error.status, status);
    assert.equal(ims.requests.length - before, 1);
    assert.deepEqual(options.clock.sleeps, []);
  }
});

void test('after the last retry a 503 is ims_unavailable', async () => {
  ims.fail({ status: 503 }, { status: 503 });
  const error = await imsError(requestClientCredentialsToken({ ...oauthOptions(), retry: { retries: 1 } }));
  assert.equal(error.code, 'ims_unavailable');
  assert.equal(error.error, 'server_error');
});

void test('an unreachable IMS is a NetworkError after the retries', async () => {
  const options = {
    ...oauthOptions(),
    imsUrl: `http://127.0.0.1:${await refusedPort()}`,
    retry: { retries: 2 },
  };
  await assert.rejects(requestClientCredentialsToken(options), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.equal(e.code, 'network_error');
    assert.match(e.message, /ECONNREFUSED/);
    return true;
  });
  assert.equal(options.clock.sleeps.length, 2);
});

void test('each attempt has its own timeout; a hanging IMS gives TimeoutError', async () => {
  ims.fail({ kind: 'hang' }, { kind: 'hang' });
  const started = Date.now();
  await assert.rejects(
    requestClientCredentialsToken({ ...oauthOptions(), timeoutMs: 150, retry: { retries: 1 } }),
    (e: unknown) => e instanceof TimeoutError && e.code === 'timeout' && e.timeoutMs === 150,
  );
  assert.ok(Date.now() - started >= 290, 'two attempts of 150 ms');
  ims.fail({ kind: 'hang' });
  const token = await requestClientCredentialsToken({ ...oauthOptions(), timeoutMs: 150 });
  assert.ok(ims.issued.has(token.accessToken), 'the retry after a timeout succeeds');
});

void test('the caller can cancel; no retry follows', async () => {
  let attempts = 0;
  const controller = new AbortController();
  // A fetch that answers only when aborted, and tells the test it has started.
  const hangingFetch: FetchLike = (_url, init) =>
    new Promise((_resolve, reject) => {
      attempts += 1;
      init?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      controller.abort();
    });
  const pending = requestClientCredentialsToken({
    ...oauthOptions(),
    fetch: hangingFetch,
    signal: controller.signal,
  });
  await assert.rejects(pending, (e: unknown) => e instanceof AbortedError && e.code === 'aborted');
  assert.equal(attempts, 1);
  await assert.rejects(
    requestClientCredentialsToken({ ...oauthOptions(), signal: AbortSignal.abort() }),
    AbortedError,
  );
});

void test('a 200 without a token is ims_bad_response', async () => {
  ims.fail({ status: 200, body: { token_type: 'bearer' } });
  const error = await imsError(requestClientCredentialsToken(oauthOptions()));
  assert.equal(error.code, 'ims_bad_response');
});
