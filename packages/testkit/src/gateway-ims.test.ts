/**
 * End to end through the real IMS (ims-harness): a token from `/ims/token/v3` passes the gateway, keys and revocations
 * come over HTTP from the IMS, and a revocation at the IMS stops the token at the gateway within the poll bound.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from '@pims/gateway';
import { startImsHarness, type ImsHarness } from './ims-harness.js';

describe('gateway in front of the real IMS', () => {
  let ims: ImsHarness;
  let gateway: RunningGateway;
  before(async () => {
    ims = await startImsHarness();
    gateway = await startGateway({ imsUrl: ims.url, dataDir: ims.dataDir, revocationPollMs: 100 });
  });
  after(async () => {
    await gateway?.close();
    await ims?.stop();
  });

  async function accessToken(): Promise<string> {
    const { clientId, clientSecret, scopes } = ims.credentials;
    const response = await fetch(`${ims.url}/ims/token/v3`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: scopes.join(','),
      }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const call = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'x-api-key': ims.credentials.clientId,
        'content-type': 'application/json',
      },
    });

  test('the demo org creates and reads its customers; another org id in headers changes nothing', async () => {
    const token = await accessToken();
    const created = await call(token, '/v3/customers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Acme' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const customer = (await created.json()) as { id: string };
    const read = await call(token, `/v3/customers/${customer.id}`);
    assert.equal(read.status, 200);
    const forged = await fetch(`${gateway.url}/v3/customers/${customer.id}`, {
      headers: { 'x-pims-org-id': ims.credentials.orgId, 'x-api-key': ims.credentials.clientId },
    });
    assert.equal(forged.status, 403);
  });

  test('a token revoked at the IMS fails at the gateway within the poll bound', async () => {
    const token = await accessToken();
    assert.equal((await call(token, '/v3/customers')).status, 200);
    const revoked = await fetch(`${ims.url}/ims/invalidate_token/v2`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: new URLSearchParams({
        client_id: ims.credentials.clientId,
        client_secret: ims.credentials.clientSecret,
      }),
    });
    assert.equal(revoked.status, 200, await revoked.clone().text());
    const deadline = Date.now() + 2000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await sleep(25);
      status = (await call(token, '/v3/customers')).status;
    }
    assert.equal(status, 401);
  });
});
