import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { AbortedError, CredentialError, ImsError } from './errors.js';
import type { AccessToken, FetchLike } from './ims-request.js';
import { startFakeIms, type FakeIms } from './testing/fake-ims.js';
import {
  createFakeClock,
  jwtTestCredentials,
  oauthTestCredentials,
  testImsClient,
} from './testing/fixtures.js';
import { refreshMargin, type TokenCacheStore } from './token-cache.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';

const HOUR = 3_600_000;
let ims: FakeIms;
let clock = createFakeClock(Date.now());
void before(async () => {
  // The stand-in checks assertion times on the same fake clock the SDK uses.
  ims = await startFakeIms({
    clients: [testImsClient()],
    jwtLifetimeMs: HOUR,
    oauthLifetimeSeconds: 3600,
    now: () => clock.now(),
  });
});
void after(() => ims.close());
void beforeEach(() => ims.clearFaults());

function manager(options: Partial<TokenManagerOptions> = {}): TokenManager {
  clock = createFakeClock(Date.now());
  return new TokenManager({
    environment: { imsUrl: ims.url, apiUrl: 'http://127.0.0.1:1' },
    credentials: jwtTestCredentials(),
    clock,
    random: () => 0.5,
    ...options,
  });
}

void test('the refresh margin is min(5 min, 10% of lifetime) unless configured', () => {
  const token = (lifetime: number) =>
    ({ accessToken: 'x', tokenType: 'bearer', obtainedAt: 0, expiresAt: lifetime }) as const;
  assert.equal(refreshMargin(token(24 * HOUR)), 300_000);
  assert.equal(refreshMargin(token(HOUR)), 300_000);
  assert.equal(refreshMargin(token(10 * 60_000)), 60_000);
  assert.equal(refreshMargin(token(HOUR), 1000), 1000);
});

void test('a cached token is reused (one exchange for many calls)', async () => {
  const tokens = manager();
  const before = ims.count('/ims/exchange/jwt');
  const first = await tokens.getAccessToken();
  clock.advance(30 * 60_000);
  assert.equal(await tokens.getAccessToken(), first);
  assert.equal(ims.count('/ims/exchange/jwt') - before, 1);
});

void test('a token expiring mid-run is refreshed before it expires (fake clock)', async () => {
  const tokens = manager({ credentials: oauthTestCredentials() });
  const first = await tokens.getToken();
  assert.equal(first.expiresAt - first.obtainedAt, HOUR);
  clock.advance(HOUR - 300_001); // just outside the 5-minute margin
  assert.equal((await tokens.getToken()).accessToken, first.accessToken);
  clock.advance(2); // inside the margin, still valid
  const second = await tokens.getToken();
  assert.notEqual(second.accessToken, first.accessToken);
  assert.ok(first.expiresAt > clock.now(), 'refreshed before the old token expired');
  assert.equal(second.expiresAt, clock.now() + HOUR);
});

void test('a custom refresh margin is honoured', async () => {
  const tokens = manager({ refreshMarginMs: 10 * 60_000 });
  const first = await tokens.getAccessToken();
  clock.advance(HOUR - 10 * 60_000);
  assert.notEqual(await tokens.getAccessToken(), first);
});

void test('1,000 concurrent callers on a cold cache cause exactly one exchange', async () => {
  const tokens = manager();
  const before = ims.count('/ims/exchange/jwt');
  const results = await Promise.all(Array.from({ length: 1000 }, () => tokens.getAccessToken()));
  assert.equal(new Set(results).size, 1);
  assert.equal(ims.count('/ims/exchange/jwt') - before, 1);
});

void test('failures are not cached: the next call tries again', async () => {
  const tokens = manager({ retry: { retries: 0 } });
  ims.fail({ status: 400, body: { error: 'invalid_token', error_description: 'x' } });
  await assert.rejects(tokens.getAccessToken(), ImsError);
  const token = await tokens.getAccessToken();
  assert.ok(ims.issued.has(token));
});

void test('a failed proactive refresh keeps serving the still-valid token, then retries', async () => {
  const tokens = manager({ retry: { retries: 0 } });
  const first = await tokens.getAccessToken();
  clock.advance(HOUR - 60_000);
  ims.fail({ status: 503 });
  assert.equal(await tokens.getAccessToken(), first);
  assert.notEqual(await tokens.getAccessToken(), first);
});

void test('an expired token is never served, even when refreshing fails', async () => {
  const tokens = manager({ retry: { retries: 0 } });
  await tokens.getAccessToken();
  clock.advance(HOUR);
  ims.fail({ status: 503 });
  await assert.rejects(tokens.getAccessToken(), ImsError);
});

void test('invalidate() forgets the token; invalidate(old) after a refresh is a no-op', async () => {
  const tokens = manager();
  const first = await tokens.getAccessToken();
  await tokens.invalidate(first);
  const second = await tokens.getAccessToken();
  assert.notEqual(second, first);
  await tokens.invalidate(first);
  assert.equal(await tokens.getAccessToken(), second);
  await tokens.invalidate();
  assert.notEqual(await tokens.getAccessToken(), second);
  assert.notEqual(await tokens.getAccessToken({ forceRefresh: true }), second);
});

void test('a TokenCacheStore shares tokens between managers; store errors are ignored', async () => {
  const map = new Map<string, AccessToken>();
  const calls: string[] = [];
  const store: TokenCacheStore = {
    get: (key) => (calls.push('get'), Promise.resolve(map.get(key))),
    set: (key, token, ttl) => (calls.push(`set ${ttl}`), map.set(key, token), Promise.resolve()),
    delete: (key) => (calls.push('delete'), map.delete(key), Promise.resolve()),
  };
  const a = manager({ cacheStore: store });
  const token = await a.getAccessToken();
  assert.deepEqual(calls, ['get', `set ${HOUR}`]);
  const b = new TokenManager({ ...optionsOf(a), cacheStore: store, clock });
  const before = ims.count('/ims/exchange/jwt');
  assert.equal(await b.getAccessToken(), token);
  assert.equal(ims.count('/ims/exchange/jwt'), before);
  await b.invalidate(token);
  assert.equal(map.size, 0);

  const broken: TokenCacheStore = {
    get: () => Promise.reject(new Error('redis down')),
    set: () => Promise.reject(new Error('redis down')),
    delete: () => Promise.reject(new Error('redis down')),
  };
  const c = manager({ cacheStore: broken });
  assert.ok(ims.issued.has(await c.getAccessToken()));
  await c.invalidate();
});

function optionsOf(tokens: TokenManager): TokenManagerOptions {
  return { environment: tokens.environment, credentials: tokens.credentials, random: () => 0.5 };
}

void test('a caller can stop waiting without cancelling the shared request for others', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slowFetch: FetchLike = async (url, init) => {
    await gate;
    return fetch(url, init);
  };
  const tokens = manager({ fetch: slowFetch });
  const controller = new AbortController();
  const impatient = tokens.getAccessToken({ signal: controller.signal });
  const patient = tokens.getAccessToken();
  controller.abort();
  await assert.rejects(impatient, AbortedError);
  release();
  assert.ok(ims.issued.has(await patient));
});

void test('bad credentials fail in the constructor, before any network call', () => {
  let calls = 0;
  const fetchSpy: FetchLike = () => {
    calls += 1;
    return Promise.reject(new Error('unreachable'));
  };
  assert.throws(
    () => manager({ credentials: { ...jwtTestCredentials(), orgId: '' }, fetch: fetchSpy }),
    (e: unknown) => e instanceof CredentialError && e.field === 'orgId' && e.source === 'credentials object',
  );
  assert.equal(calls, 0);
});
