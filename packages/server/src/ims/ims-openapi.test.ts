import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildImsOpenApiDocument, renderImsOpenApi } from './ims-openapi.js';
import { JWT_EXCHANGE_PATHS, TOKEN_PATHS } from './token-routes.js';

const docsPath = new URL('../../../../docs/openapi/ims.json', import.meta.url);

interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: {
    content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }>;
  };
  responses: Record<string, unknown>;
}
type Paths = Record<string, Record<string, Operation>>;

void test('docs/openapi/ims.json matches the route schemas', async () => {
  const actual = readFileSync(docsPath, 'utf8');
  assert.ok(
    actual === (await renderImsOpenApi()),
    'docs/openapi/ims.json is out of date: run `npm run docs:openapi` and commit it',
  );
});

void test('every IMS route is in the document with its parameters and responses', async () => {
  const document = await buildImsOpenApiDocument();
  assert.equal(document.openapi, '3.0.3');
  const paths = document.paths as Paths;
  const operation = (method: string, path: string): Operation => {
    const found = paths[path]?.[method];
    assert.ok(found, `${method.toUpperCase()} ${path} is documented`);
    return found;
  };
  const bodyOf = (op: Operation) => {
    const content = op.requestBody?.content ?? {};
    assert.deepEqual(Object.keys(content).sort(), [
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    const schema = content['application/x-www-form-urlencoded']?.schema;
    assert.ok(schema);
    return schema;
  };
  const parameterNames = (op: Operation, where: string) =>
    (op.parameters ?? [])
      .filter((p) => p.in === where)
      .map((p) => p.name)
      .sort();
  const errorStatuses = ['400', '401', '413', '415', '429', '503'];

  for (const path of JWT_EXCHANGE_PATHS) {
    const exchange = operation('post', path);
    const body = bodyOf(exchange);
    assert.deepEqual(body.required, ['client_id', 'client_secret', 'jwt_token']);
    assert.deepEqual(Object.keys(exchange.responses).sort(), ['200', ...errorStatuses]);
  }
  for (const path of TOKEN_PATHS) {
    const token = operation('post', path);
    assert.deepEqual(Object.keys(bodyOf(token).properties).sort(), [
      'client_id',
      'client_secret',
      'grant_type',
      ...(path === '/ims/token/v2' ? ['org_id'] : []),
      'scope',
    ]);
    const query = parameterNames(token, 'query');
    assert.ok(!query.includes('client_secret'), 'the secret is never a query parameter');
    assert.ok(query.includes('grant_type') && query.includes('client_id'));
    assert.deepEqual(Object.keys(token.responses).sort(), ['200', ...errorStatuses]);
  }
  for (const method of ['get', 'post']) {
    const validate = operation(method, '/ims/validate_token/v1');
    assert.deepEqual(parameterNames(validate, 'query'), ['client_id', 'token', 'type']);
    assert.deepEqual(parameterNames(validate, 'header'), ['authorization']);
    assert.ok(validate.responses['200']);
  }
  const invalidate = operation('post', '/ims/invalidate_token/v2');
  assert.deepEqual(bodyOf(invalidate).required, ['client_id', 'client_secret']);
  assert.ok(invalidate.responses['200'] && invalidate.responses['401']);
  assert.deepEqual(parameterNames(operation('get', '/ims/revocations'), 'query'), ['limit', 'since']);
  assert.ok(operation('get', '/ims/keys').responses['200']);
  const certificate = operation('get', '/ims/keys/{file}');
  assert.deepEqual(parameterNames(certificate, 'path'), ['file']);
  assert.deepEqual(Object.keys(certificate.responses).sort(), ['200', '404']);
  assert.deepEqual(Object.keys(operation('get', '/health/live').responses), ['200']);
  assert.deepEqual(Object.keys(operation('get', '/health/ready').responses).sort(), ['200', '503']);
  // The 405 catch-alls of the token paths are not operations of the API.
  assert.equal(paths['/ims/token/v3']?.get, undefined);
});

void test('the document is the same on every build (no volatile values)', async () => {
  assert.equal(await renderImsOpenApi(), await renderImsOpenApi());
});
