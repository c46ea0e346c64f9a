import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import {
  createTestSigningKey,
  mintAccessToken,
  startFakeIms,
  type FakeIms,
  type TestSigningKey,
} from '../testing/index.js';

describe('sample upstream end to end: org isolation (GW-3)', () => {
  let ims: FakeIms;
  let key: TestSigningKey;
  let gateway: RunningGateway;
  before(async () => {
    key = createTestSigningKey('k1');
    ims = await startFakeIms([key]);
    gateway = await startGateway({ imsUrl: ims.url, rateLimit: { max: 5, windowMs: 60_000 } });
  });
  after(async () => {
    await gateway.close();
    await ims.stop();
  });

  const tokenFor = (clientId: string, orgId: string) =>
    mintAccessToken(key, { issuer: ims.url, clientId, orgId, iat: Math.floor(Date.now() / 1000) });
  const as = async (clientId: string, orgId: string) => {
    const token = await tokenFor(clientId, orgId);
    return (path: string, init: RequestInit = {}) =>
      fetch(`${gateway.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          'x-api-key': clientId,
          'content-type': 'application/json',
        },
      });
  };

  test('org A creates and reads its customers; org B gets 404 and an empty list', async () => {
    const a = await as('client-a', 'org-a@AdobeOrg');
    const b = await as('client-b', 'org-b@AdobeOrg');
    const created = await a('/v3/customers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Acme', email: 'a@acme.test' }),
    });
    assert.equal(created.status, 201);
    const customer = (await created.json()) as { id: string; name: string };
    assert.equal(customer.name, 'Acme');

    const read = await a(`/v3/customers/${customer.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), customer);
    const list = (await (await a('/v3/customers')).json()) as { customers: unknown[] };
    assert.deepEqual(list.customers, [customer]);

    const other = await b(`/v3/customers/${customer.id}`);
    assert.equal(other.status, 404);
    assert.deepEqual(await other.json(), { code: '404', message: 'Resource not found.' });
    assert.deepEqual(await (await b('/v3/customers')).json(), { customers: [] });
  });

  test('an invalid body is a 400, an unknown route a 404, both in the Partner API form with a request id', async () => {
    const c = await as('client-c', 'org-c@AdobeOrg');
    const bad = await c('/v3/customers', { method: 'POST', body: JSON.stringify({ nom: 1 }) });
    assert.equal(bad.status, 400);
    assert.ok(bad.headers.get('x-request-id'));
    const missing = await c('/v3/nothing');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { code: '404', message: 'Resource not found.' });
  });

  test('rate limit per client id: 429 4118 with Retry-After; other clients unaffected', async () => {
    const d = await as('client-d', 'org-d@AdobeOrg');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await d('/v3/customers')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const limited = await d('/v3/customers');
    assert.equal(limited.status, 429);
    assert.deepEqual(await limited.json(), { code: '4118', message: 'Too many requests.' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    const e = await as('client-e', 'org-d@AdobeOrg');
    assert.equal((await e('/v3/customers')).status, 200);
  });
});
