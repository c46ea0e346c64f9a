import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { createIdGenerator } from '../../ids.js';
import { createImsFixture, hashSecret, verifySecret, type ImsFixture } from '../test-support/ims-fixture.js';
import { DEMO_ORG_NAME, ensureDemo } from './ensure-demo.js';

let fx: ImsFixture;
before(async () => {
  fx = await createImsFixture();
});
after(() => fx.close());

void test('first start creates the demo org and files; later starts change nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pims-demo-'));
  const deps = { storage: fx.storage, dataDir, ids: createIdGenerator(), clock: fx.clock, hashSecret };
  const first = await ensureDemo(deps);
  assert.equal(first.created, 'org');
  assert.equal(statSync(first.privateKeyFile).mode & 0o777, 0o600);

  const workspace = JSON.parse(readFileSync(first.workspaceFile, 'utf8')) as {
    project: {
      org: { ims_org_id: string };
      workspace: { details: { credentials: Array<Record<string, Record<string, unknown>>> } };
    };
  };
  assert.equal(workspace.project.org.ims_org_id, first.orgId);
  const [entry] = workspace.project.workspace.details.credentials;
  assert.equal(entry?.jwt?.client_id, first.clientId);
  assert.deepEqual(entry?.jwt?.meta_scopes, ['ent_partners_sdk']);
  assert.deepEqual(entry?.oauth_server_to_server?.scopes, ['openid', 'AdobeID', 'ent_partners_sdk']);

  const credential = await fx.storage.credentials.findCredentialByClientId(first.clientId);
  assert.ok(credential?.jwtEnabled && credential.oauthEnabled);
  const [secret] = await fx.storage.clientSecrets.listClientSecrets(first.orgId, credential.id);
  assert.ok(verifySecret(entry?.jwt?.client_secret as string, secret?.secretHash ?? ''));
  const [certificate] = await fx.storage.certificates.listCertificates(first.orgId, credential.id);
  const privateKey = createPrivateKey(readFileSync(first.privateKeyFile, 'utf8'));
  assert.equal(
    new X509Certificate(certificate?.pem ?? '').publicKey.export({ format: 'jwk' }).n,
    createPublicKey(privateKey).export({ format: 'jwk' }).n,
  );

  const again = await ensureDemo(deps);
  assert.deepEqual({ ...again, created: 'org' }, first);
  assert.equal(again.created, 'nothing');
  const orgs = (await fx.storage.organizations.listOrganizations()).items.filter(
    (o) => o.name === DEMO_ORG_NAME,
  );
  assert.equal(orgs.length, 1);
});
