import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import {
  createTestSigningKey,
  mintAccessToken,
  startFakeIms,
  type FakeIms,
  type TestSigningKey,
} from '../testing/index.js';

describe('proxy to an HTTP upstream', () => {
  let ims: FakeIms;
  let key: TestSigningKey;
  let upstream: Server;
  let gateway: RunningGateway;
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string } | undefined;

  before(async () => {
    key = createTestSigningKey('k1');
    ims = await startFakeIms([key]);
    upstream = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
        if (request.url === '/base/slow') return; // never answers
        if (request.url === '/base/redirect') {
          response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
          return;
        }
        response.writeHead(207, {
          'content-type': 'application/x-echo',
          'x-upstream': 'yes',
          connection: 'close',
          'keep-alive': 'timeout=5',
        });
        response.end(`echo:${body}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    gateway = await startGateway({
      imsUrl: ims.url,
      upstream: `http://127.0.0.1:${port}/base/`,
      upstreamTimeoutMs: 300,
    });
  });
  after(async () => {
    await gateway.close();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    await ims.stop();
  });

  async function call(path: string, init: RequestInit = {}, headers: Record<string, string> = {}) {
    const token = await mintAccessToken(key, {
      issuer: ims.url,
      clientId: 'client-a',
      orgId: 'org-a@AdobeOrg',
      iat: Math.floor(Date.now() / 1000),
    });
    return fetch(`${gateway.url}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { authorization: `Bearer ${token}`, 'x-api-key': 'client-a', ...headers },
    });
  }

  test('streams the body, keeps status and headers, sets identity, strips forged ones and Authorization', async () => {
    const response = await call(
      '/v3/orders?x=1',
      { method: 'POST', body: 'hello' },
      { 'x-pims-org-id': 'org-b@AdobeOrg', 'x-pims-whatever': '1', 'x-request-id': 'req-1' },
    );
    assert.equal(response.status, 207);
    assert.equal(await response.text(), 'echo:hello');
    assert.equal(response.headers.get('x-upstream'), 'yes');
    assert.equal(response.headers.get('content-type'), 'application/x-echo');
    assert.equal(response.headers.get('x-request-id'), 'req-1');
    assert.notEqual(response.headers.get('keep-alive'), 'timeout=5'); // the upstream's hop-by-hop header is dropped
    assert.ok(seen);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/base/v3/orders?x=1');
    assert.equal(seen.headers['x-pims-org-id'], 'org-a@AdobeOrg');
    assert.equal(seen.headers['x-pims-client-id'], 'client-a');
    assert.equal(seen.headers['x-pims-technical-account-id'], 'client-a-ta@techacct.example.com');
    assert.equal(seen.headers['x-pims-whatever'], undefined);
    assert.equal(seen.headers['x-request-id'], 'req-1');
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers['x-api-key'], 'client-a');
  });

  test('a redirect is passed back, not followed', async () => {
    const response = await call('/redirect');
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'http://127.0.0.1:1/elsewhere');
  });

  test('an upstream that does not answer in time: 504', async () => {
    const response = await call('/slow');
    assert.equal(response.status, 504);
    assert.deepEqual(await response.json(), {
      code: '504',
      message: 'The upstream service did not answer in time.',
    });
    assert.ok(response.headers.get('x-request-id'));
  });

  test('a refused request never reaches the upstream', async () => {
    seen = undefined;
    const response = await fetch(`${gateway.url}/v3/orders`, {
      headers: { 'x-pims-org-id': 'org-a@AdobeOrg' },
    });
    assert.equal(response.status, 403);
    assert.equal(seen, undefined);
  });
});

describe('proxy to an unreachable upstream', () => {
  test('502 in the Partner API form', async () => {
    const key = createTestSigningKey('k1');
    const ims = await startFakeIms([key]);
    const gateway = await startGateway({ imsUrl: ims.url, upstream: 'http://127.0.0.1:1' });
    try {
      const token = await mintAccessToken(key, {
        issuer: ims.url,
        clientId: 'c',
        orgId: 'o',
        iat: Math.floor(Date.now() / 1000),
      });
      const response = await fetch(`${gateway.url}/v3/x`, {
        headers: { authorization: `Bearer ${token}`, 'x-api-key': 'c' },
      });
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), { code: '502', message: 'The upstream service failed.' });
    } finally {
      await gateway.close();
      await ims.stop();
    }
  });
});
