import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildConsoleOpenApiDocument, renderConsoleOpenApi } from './console-openapi.js';

const docsPath = new URL('../../../../docs/openapi/console.json', import.meta.url);

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}
type Paths = Record<string, Record<string, Operation>>;

test('docs/openapi/console.json matches the route schemas', async () => {
  const actual = readFileSync(docsPath, 'utf8');
  assert.ok(
    actual === (await renderConsoleOpenApi()),
    'docs/openapi/console.json is out of date: run `npm run docs:openapi` and commit it',
  );
});

test('every console operation declares its path parameters, a 2xx response, and JSON bodies where it takes one', async () => {
  const paths = (await buildConsoleOpenApiDocument()).paths as Paths;
  const expected: Array<[method: string, path: string]> = [
    ['post', '/api/v1/auth/login'],
    ['post', '/api/v1/invitations/accept'],
    ['post', '/api/v1/operator/orgs'],
    ['get', '/api/v1/orgs/{orgId}/members'],
    ['patch', '/api/v1/orgs/{orgId}/members/{userId}'],
    ['post', '/api/v1/orgs/{orgId}/projects'],
    ['post', '/api/v1/orgs/{orgId}/credentials'],
    ['post', '/api/v1/orgs/{orgId}/credentials/{credentialId}/certificates'],
    ['post', '/api/v1/orgs/{orgId}/credentials/{credentialId}/secrets'],
    ['get', '/api/v1/orgs/{orgId}/credentials/{credentialId}/workspace'],
    ['get', '/api/v1/orgs/{orgId}/audit'],
  ];
  for (const [method, path] of expected) assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`);

  let operations = 0;
  for (const [path, methods] of Object.entries(paths)) {
    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(methods)) {
      operations += 1;
      const label = `${method.toUpperCase()} ${path}`;
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), [...pathParameters].sort(), `${label}: path parameters`);
      assert.ok(
        Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)),
        `${label}: a success response`,
      );
      if (operation.requestBody) {
        assert.deepEqual(
          Object.keys(operation.requestBody.content),
          ['application/json'],
          `${label}: JSON only`,
        );
      }
    }
  }
  assert.ok(operations >= 35, `${operations} operations`);
});
