import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from './start-gateway.js';
import {
  createTestSigningKey,
  gatewayUnderTest,
  startFakeIms,
  type FakeIms,
  type GatewayUnderTest,
} from './testing/index.js';

describe('open paths (GW-1)', () => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await gatewayUnderTest();
  });
  after(() => gw.close());

  test('GET and HEAD /ping and /partnerservice/ping answer pong without a token', async () => {
    for (const url of ['/ping', '/partnerservice/ping', '/ping?x=1']) {
      const response = await gw.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, 'pong');
      assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
      assert.ok(response.headers['x-request-id']);
      const head = await gw.app.inject({ method: 'HEAD', url });
      assert.equal(head.statusCode, 200);
    }
  });

  test('POST /ping is not open', async () => {
    const response = await gw.app.inject({ method: 'POST', url: '/ping' });
    assert.equal(response.statusCode, 403);
    assert.deepEqual(response.json(), { code: '4117', message: 'Access token is missing.' });
  });

  test('with an Authorization header the token is checked', async () => {
    const bad = await gw.app.inject({ url: '/ping', headers: { authorization: 'Bearer a.b.c' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.headers['www-authenticate'], 'Bearer error="invalid_token"');
    const good = await gw.app.inject({
      url: '/ping',
      headers: { authorization: `Bearer ${await gw.token()}` },
    });
    assert.equal(good.statusCode, 200);
    assert.equal(good.body, 'pong');
  });

  const smuggled = [
    '/ping/../v3/customers',
    '//ping',
    '/ping/',
    '/PING',
    '/Ping',
    '/ping.json',
    '/ping;x',
    '/%70ing',
    '/ping%2F..%2Fv3%2Fcustomers',
    '/%2e/ping',
    '/./ping',
    '/partnerservice/../ping',
    '/partnerservice//ping',
    '/partnerservice%2Fping',
    '/ping%00',
    '/v3/customers?/ping',
  ];

  test('path tricks on the open route are authenticated (in process)', async () => {
    // inject() resolves dot segments (`/./`, `/%2e/`, `/../`) like a URL parser; the socket test sends them raw.
    for (const url of smuggled.filter((u) => !/\/(\.|%2e)/i.test(u))) {
      const response = await gw.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 403, url);
      assert.deepEqual(response.json(), { code: '4117', message: 'Access token is missing.' }, url);
    }
  });

  describe('over a real socket', () => {
    let ims: FakeIms;
    let server: RunningGateway;
    before(async () => {
      ims = await startFakeIms([createTestSigningKey('k1')]);
      server = await startGateway({ imsUrl: ims.url });
    });
    after(async () => {
      await server.close();
      await ims.stop();
    });

    const raw = (path: string, headers: Record<string, string | string[]> = {}) =>
      new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = httpRequest(`${server.url}/`, { path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        });
        req.on('error', reject);
        req.end();
      });

    test('path tricks are authenticated', async () => {
      for (const path of smuggled) {
        const response = await raw(path);
        assert.equal(response.status, 403, path);
        assert.ok(response.headers['x-request-id'], path);
      }
      assert.equal((await raw('/ping')).body, 'pong');
    });

    test('two Authorization headers on the wire are refused', async () => {
      const response = await raw('/v3/customers', {
        authorization: ['Bearer a.b.c', 'Bearer a.b.c'],
        'x-api-key': 'x',
      });
      assert.equal(response.status, 401);
    });

    test('headers beyond Node’s own limit get the Partner API 431 with a request id', async () => {
      const response = await raw('/v3/customers', { authorization: `Bearer ${'a'.repeat(100 * 1024)}` });
      assert.equal(response.status, 431);
      assert.deepEqual(JSON.parse(response.body), { code: '431', message: 'Request headers are too large.' });
      assert.ok(response.headers['x-request-id']);
    });

    test('an unknown route with a valid-looking request answers the Partner API 404', async () => {
      const response = await raw('/nothing-here');
      assert.equal(response.status, 403);
    });
  });
});
