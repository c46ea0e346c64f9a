import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestConsole, type TestConsole } from './test-support.js';

let t: TestConsole;
before(async () => {
  t = await createTestConsole({ environment: 'sandbox' });
});
after(() => t.close());

test('sandbox: only operators create and change credentials; members read them', async () => {
  const ops = await t.operator();
  const { orgId, admin } = await t.org(ops, 'admin@s.example');
  assert.equal(
    (await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'P' })).statusCode,
    403,
  );
  const project = await t.request(ops, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'P' });
  assert.equal(project.statusCode, 201);
  const projectId = project.json<{ id: string }>().id;
  assert.equal(
    (await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/credentials`, { projectId, name: 'C' }))
      .statusCode,
    403,
  );
  const created = await t.request(ops, 'POST', `/api/v1/orgs/${orgId}/credentials`, {
    projectId,
    name: 'C',
    oauth: true,
  });
  assert.equal(created.statusCode, 201);
  const id = created.json<{ credential: { id: string } }>().credential.id;
  assert.equal((await t.request(admin, 'GET', `/api/v1/orgs/${orgId}/credentials/${id}`)).statusCode, 200);
  for (const [method, url] of [
    ['POST', `/api/v1/orgs/${orgId}/credentials/${id}/secrets`],
    ['POST', `/api/v1/orgs/${orgId}/credentials/${id}/disable`],
    ['DELETE', `/api/v1/orgs/${orgId}/credentials/${id}`],
  ] as const)
    assert.equal((await t.request(admin, method, url)).statusCode, 403, `${method} ${url}`);
});
