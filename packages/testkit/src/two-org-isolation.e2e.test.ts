/**
 * Tenant isolation end to end (GW-3, issue #4 point 5): two orgs seeded in the real IMS, tokens from its real
 * `/ims/token/v3`, the real gateway with the sample upstream in front of it. The org comes from the token only: org B
 * never sees org A's customers, can't borrow A's API key, and can't pick an org with an `X-Pims-Org-Id` header.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from '@pims/gateway';
import { startImsHarness, type HarnessCredentials, type HarnessOrg, type ImsHarness } from './ims-harness.js';

interface Customer {
  id: string;
  name: string;
}

describe('two orgs through the real IMS and gateway (GW-3)', { timeout: 30_000 }, () => {
  let ims: ImsHarness;
  let gateway: RunningGateway;
  let orgA: HarnessOrg;
  let orgB: HarnessOrg;
  let tokenA: string;
  let tokenB: string;
  let customerA: Customer;

  async function accessToken(credentials: HarnessCredentials): Promise<string> {
    const response = await fetch(`${ims.url}/ims/token/v3`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: credentials.scopes.join(','),
      }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { access_token: string }).access_token;
  }

  function call(
    token: string,
    apiKey: string,
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    return fetch(`${gateway.url}${path}`, {
      ...(init.method === undefined ? {} : { method: init.method }),
      ...(init.body === undefined ? {} : { body: init.body }),
      headers: {
        authorization: `Bearer ${token}`,
        'x-api-key': apiKey,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
  }

  before(async () => {
    ims = await startImsHarness({ secondOrg: true });
    gateway = await startGateway({ imsUrl: ims.url, dataDir: ims.dataDir });
    assert.ok(ims.secondOrg, 'the harness seeded a second org');
    orgA = ims;
    orgB = ims.secondOrg;
    assert.notEqual(orgA.credentials.orgId, orgB.credentials.orgId);
    assert.notEqual(orgA.credentials.clientId, orgB.credentials.clientId);
    tokenA = await accessToken(orgA.credentials);
    tokenB = await accessToken(orgB.credentials);
    const created = await call(tokenA, orgA.credentials.clientId, '/v3/customers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Acme of A', email: 'buyer@acme.test' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    customerA = (await created.json()) as Customer;
  });
  after(async () => {
    await gateway?.close();
    await ims?.stop();
  });

  test('org A creates, reads and lists its own customers', async () => {
    assert.equal(customerA.name, 'Acme of A');
    const read = await call(tokenA, orgA.credentials.clientId, `/v3/customers/${customerA.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), customerA);
    const list = await call(tokenA, orgA.credentials.clientId, '/v3/customers');
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { customers: [customerA] });
  });

  test("org B, with its own valid token, gets 404 for A's customer and an empty list", async () => {
    const read = await call(tokenB, orgB.credentials.clientId, `/v3/customers/${customerA.id}`);
    assert.equal(read.status, 404);
    assert.deepEqual(await read.json(), { code: '404', message: 'Resource not found.' });
    const list = await call(tokenB, orgB.credentials.clientId, '/v3/customers');
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { customers: [] });
  });

  test("org B's token with org A's X-Api-Key is 403 4115, on reads and writes", async () => {
    for (const [path, init] of [
      [`/v3/customers/${customerA.id}`, {}],
      ['/v3/customers', {}],
      ['/v3/customers', { method: 'POST', body: JSON.stringify({ name: 'Planted by B' }) }],
    ] as const) {
      const response = await call(tokenB, orgA.credentials.clientId, path, init);
      assert.equal(response.status, 403, path);
      assert.equal(((await response.json()) as { code: string }).code, '4115');
    }
    const listA = await call(tokenA, orgA.credentials.clientId, '/v3/customers');
    assert.deepEqual(await listA.json(), { customers: [customerA] }, 'nothing was written for A');
  });

  test('a forged X-Pims-Org-Id (and other identity headers) from B changes nothing', async () => {
    const forged = {
      'x-pims-org-id': orgA.credentials.orgId,
      'x-pims-client-id': orgA.credentials.clientId,
      'x-pims-technical-account-id': orgA.credentials.technicalAccountId,
    };
    const read = await call(tokenB, orgB.credentials.clientId, `/v3/customers/${customerA.id}`, {
      headers: forged,
    });
    assert.equal(read.status, 404);
    const list = await call(tokenB, orgB.credentials.clientId, '/v3/customers', { headers: forged });
    assert.deepEqual(await list.json(), { customers: [] });

    const planted = await call(tokenB, orgB.credentials.clientId, '/v3/customers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Planted by B' }),
      headers: forged,
    });
    assert.equal(planted.status, 201);
    const plantedCustomer = (await planted.json()) as Customer;
    const listA = await call(tokenA, orgA.credentials.clientId, '/v3/customers');
    assert.deepEqual(await listA.json(), { customers: [customerA] }, "B's write landed in B's org, not A's");
    const listB = await call(tokenB, orgB.credentials.clientId, '/v3/customers');
    assert.deepEqual(await listB.json(), { customers: [plantedCustomer] });
    const readByA = await call(tokenA, orgA.credentials.clientId, `/v3/customers/${plantedCustomer.id}`);
    assert.equal(readByA.status, 404);
  });
});
