/** The console API shows when each client secret was last used on the token endpoints (written in the background). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestConsole, type Session, type TestConsole } from './test-support.js';

let t: TestConsole;
let dev: Session;
let orgId: string;
before(async () => {
  t = await createTestConsole({ environment: 'production' });
  const ops = await t.operator();
  const org = await t.org(ops, 'admin@d.example');
  orgId = org.orgId;
  dev = (await t.member(org.admin, orgId, 'dev@d.example', 'developer')).session;
});
after(() => t.close());

interface CredentialView {
  id: string;
  clientId: string;
  secrets: Array<{ id: string; lastUsedAt: number | null }>;
}

void test('after a client-credentials call and a flush, the credential shows its secret’s last use', async () => {
  const project = await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: 'P' });
  const created = await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/credentials`, {
    projectId: project.json<{ id: string }>().id,
    name: 'S2S',
    jwt: false,
    oauth: true,
  });
  assert.equal(created.statusCode, 201, created.body);
  const { credential, clientSecret } = created.json<{ credential: CredentialView; clientSecret: string }>();
  const read = async () =>
    (
      await t.request(dev, 'GET', `/api/v1/orgs/${orgId}/credentials/${credential.id}`)
    ).json<CredentialView>();
  assert.equal((await read()).secrets[0]?.lastUsedAt, null);

  const usedAt = t.clock.now();
  const token = await t.app.inject({
    method: 'POST',
    url: '/ims/token/v3',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: clientSecret,
    }).toString(),
  });
  assert.equal(token.statusCode, 200, token.body);
  await t.ims.services.secretUse.flush();

  const secrets = (await read()).secrets;
  assert.deepEqual(secrets, [{ ...credential.secrets[0], lastUsedAt: usedAt }]);
});
