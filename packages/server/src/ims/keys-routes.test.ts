import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublishedKeys } from '@pims/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerKeysRoutes } from './keys-routes.js';

const jwk = { kid: 'ims-AAAA', kty: 'RSA', n: 'nnnn', e: 'AQAB', alg: 'RS256', use: 'sig' };
const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function appWith(keys: PublishedKeys): Promise<FastifyInstance> {
  const app = Fastify();
  registerKeysRoutes(app, { keys });
  await app.ready();
  return app;
}

const published: PublishedKeys = {
  jwks: () => ({ keys: [jwk, { ...jwk, kid: 'ims-BBBB', n: 'mmmm' }] }),
  certificatePem: (kid) => (kid === 'ims-AAAA' ? pem : undefined),
};

test('GET /ims/keys answers the JWKS, cacheable for 5 minutes', async () => {
  const app = await appWith(published);
  const response = await app.inject({ method: 'GET', url: '/ims/keys' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(response.headers['cache-control'], 'public, max-age=300');
  assert.equal(
    response.body,
    '{"keys":[{"kid":"ims-AAAA","kty":"RSA","n":"nnnn","e":"AQAB","alg":"RS256","use":"sig"},' +
      '{"kid":"ims-BBBB","kty":"RSA","n":"mmmm","e":"AQAB","alg":"RS256","use":"sig"}]}',
  );
});

test('the response schema lets no private or unknown member out, whatever the key source returns', async () => {
  const leaky: PublishedKeys = {
    jwks: () => ({ keys: [{ ...jwk, d: 'private', p: 'p', q: 'q', x5u: 'https://evil.test' }] }),
    certificatePem: () => undefined,
  };
  const response = await (await appWith(leaky)).inject({ method: 'GET', url: '/ims/keys' });
  assert.deepEqual(response.json(), { keys: [jwk] });
});

test('GET /ims/keys/{kid}.cer answers the PEM certificate', async () => {
  const app = await appWith(published);
  const response = await app.inject({ method: 'GET', url: '/ims/keys/ims-AAAA.cer' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'application/x-pem-file');
  assert.equal(response.headers['cache-control'], 'public, max-age=300');
  assert.equal(response.body, pem);
});

test('an unknown key or a name without .cer answers the plain 404, echoing nothing', async () => {
  const app = await appWith(published);
  for (const url of [
    '/ims/keys/ims-BBBB.cer',
    '/ims/keys/ims-AAAA',
    '/ims/keys/.cer',
    '/ims/keys/%3Cscript%3E.cer',
  ]) {
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.body, '{"code":"console.not_found","message":"Not found."}', url);
    assert.equal(response.headers['cache-control'], undefined, url);
  }
});
