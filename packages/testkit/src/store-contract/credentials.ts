/** Projects, credentials, client secrets, certificates; cascades; page limits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PAGE_SIZE, ReferenceViolation, UniqueViolation } from '@pims/core';
import type { Storage } from '@pims/core';
import {
  T0,
  certificateRecord,
  credentialRecord,
  ids,
  orgRecord,
  projectRecord,
  secretRecord,
  seedOrg,
} from './fixtures.js';

export function credentialContract(storage: () => Storage): void {
  void test('projects: insert, find, update, unique name per org, pages', async () => {
    const s = storage();
    const org = await s.organizations.insertOrganization(orgRecord());
    const p = await s.projects.insertProject(org.id, projectRecord({ name: 'A' }));
    assert.deepEqual(p, { ...projectRecord({ id: p.id, name: 'A' }), orgId: org.id });
    assert.deepEqual(await s.projects.findProjectById(org.id, p.id), p);
    const updated = await s.projects.updateProjectById(org.id, p.id, {
      description: 'new',
      updatedAt: T0 + 1,
    });
    assert.deepEqual(updated, { ...p, description: 'new', updatedAt: T0 + 1 });
    assert.deepEqual(await s.projects.findProjectById(org.id, p.id), updated);
    await assert.rejects(s.projects.insertProject(org.id, projectRecord({ name: 'A' })), UniqueViolation);
    await assert.rejects(s.projects.insertProject(ids.orgId(), projectRecord()), ReferenceViolation);

    for (let i = 0; i < 4; i++)
      await s.projects.insertProject(org.id, projectRecord({ name: `P${i}`, createdAt: T0 + 1 }));
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.projects.listProjects(org.id, { limit: 2, ...(cursor ? { cursor } : {}) });
      names.push(...page.items.map((x) => x.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(names.slice().sort(), ['A', 'P0', 'P1', 'P2', 'P3']);
    assert.equal(names[0], 'A', 'oldest first');
  });

  void test('page size defaults to 50 and is capped at 500', async () => {
    const s = storage();
    const org = await s.organizations.insertOrganization(orgRecord());
    await s.transaction(async (tx) => {
      for (let i = 0; i < MAX_PAGE_SIZE + 1; i++)
        await tx.projects.insertProject(org.id, projectRecord({ name: `p${i}` }));
    });
    const byDefault = await s.projects.listProjects(org.id);
    assert.equal(byDefault.items.length, 50);
    assert.ok(byDefault.nextCursor);
    const capped = await s.projects.listProjects(org.id, { limit: 10_000 });
    assert.equal(capped.items.length, MAX_PAGE_SIZE);
    const rest = await s.projects.listProjects(org.id, { limit: 10_000, cursor: capped.nextCursor });
    assert.equal(rest.items.length, 1);
    assert.equal(rest.nextCursor, undefined);
    assert.equal((await s.projects.listProjects(org.id, { limit: 0 })).items.length, 1, 'at least one');
  });

  void test('credentials: flags and arrays round-trip, lookups, updates, uniqueness', async () => {
    const s = storage();
    const { org, project, credential } = await seedOrg(s);
    assert.equal(credential.orgId, org.id);
    assert.equal(credential.jwtEnabled, true);
    assert.equal(credential.oauthEnabled, false);
    assert.deepEqual(credential.metascopes, ['ent_partners_sdk']);
    assert.deepEqual(await s.credentials.findCredentialById(org.id, credential.id), credential);
    assert.deepEqual(await s.credentials.findCredentialByClientId(credential.clientId), credential);
    assert.equal(await s.credentials.findCredentialByClientId(ids.clientId()), undefined);

    const updated = await s.credentials.updateCredentialById(org.id, credential.id, {
      oauthEnabled: true,
      jwtEnabled: false,
      scopes: ['openid', 'AdobeID', 'read_organizations'],
      metascopes: [],
      updatedAt: T0 + 1,
    });
    assert.deepEqual(updated, {
      ...credential,
      oauthEnabled: true,
      jwtEnabled: false,
      scopes: ['openid', 'AdobeID', 'read_organizations'],
      metascopes: [],
      updatedAt: T0 + 1,
    });
    assert.deepEqual(await s.credentials.findCredentialById(org.id, credential.id), updated);

    const project2 = await s.projects.insertProject(org.id, projectRecord({ name: 'Second' }));
    const c2 = await s.credentials.insertCredential(
      org.id,
      credentialRecord(project2.id, { createdAt: T0 + 1 }),
    );
    assert.deepEqual(
      (await s.credentials.listCredentials(org.id)).items.map((c) => c.id),
      [credential.id, c2.id],
    );
    assert.deepEqual(
      (await s.credentials.listCredentials(org.id, { projectId: project2.id })).items.map((c) => c.id),
      [c2.id],
    );

    const dupName = credentialRecord(project.id, { name: credential.name });
    await assert.rejects(s.credentials.insertCredential(org.id, dupName), UniqueViolation);
    const dupTech = credentialRecord(project.id, {
      technicalAccountId: credential.technicalAccountId,
      name: 'n2',
    });
    await assert.rejects(s.credentials.insertCredential(org.id, dupTech), UniqueViolation);
    const dupClient = credentialRecord(project.id, { clientId: credential.clientId, name: 'n3' });
    const err = await s.credentials.insertCredential(org.id, dupClient).catch((e: unknown) => e);
    assert.ok(err instanceof UniqueViolation);
    assert.equal(err.table, 'credentials');
    assert.deepEqual(err.columns, ['client_id']);
    assert.ok(!err.message.includes(credential.clientId));
  });

  void test("a credential can't be put in another org's project", async () => {
    const s = storage();
    const a = await seedOrg(s);
    const b = await seedOrg(s);
    await assert.rejects(
      s.credentials.insertCredential(b.org.id, credentialRecord(a.project.id, { name: 'elsewhere' })),
      ReferenceViolation,
    );
    await assert.rejects(
      s.clientSecrets.insertClientSecret(b.org.id, secretRecord(a.credential.id)),
      ReferenceViolation,
    );
    await assert.rejects(
      s.certificates.insertCertificate(b.org.id, certificateRecord(a.credential.id)),
      ReferenceViolation,
    );
  });

  void test('client secrets: insert, list oldest first, touch, delete', async () => {
    const s = storage();
    const { org, credential } = await seedOrg(s);
    const one = await s.clientSecrets.insertClientSecret(org.id, secretRecord(credential.id));
    const two = await s.clientSecrets.insertClientSecret(
      org.id,
      secretRecord(credential.id, { createdAt: T0 + 1 }),
    );
    assert.deepEqual(await s.clientSecrets.listClientSecrets(org.id, credential.id), [one, two]);
    await s.clientSecrets.touchClientSecret(org.id, one.id, T0 + 50);
    assert.equal((await s.clientSecrets.listClientSecrets(org.id, credential.id))[0]?.lastUsedAt, T0 + 50);
    assert.equal(await s.clientSecrets.deleteClientSecretById(org.id, one.id), true);
    assert.equal(await s.clientSecrets.deleteClientSecretById(org.id, one.id), false);
    assert.deepEqual(await s.clientSecrets.listClientSecrets(org.id, credential.id), [two]);
  });

  void test('certificates: insert, list by status, revoke once, fingerprint unique per credential', async () => {
    const s = storage();
    const { org, project, credential } = await seedOrg(s);
    const cert = await s.certificates.insertCertificate(org.id, certificateRecord(credential.id));
    const other = await s.certificates.insertCertificate(
      org.id,
      certificateRecord(credential.id, { createdAt: T0 + 1 }),
    );
    assert.deepEqual(await s.certificates.findCertificateById(org.id, cert.id), cert);
    assert.equal(await s.certificates.revokeCertificateById(org.id, cert.id, T0 + 9), true);
    assert.equal(await s.certificates.revokeCertificateById(org.id, cert.id, T0 + 10), false);
    assert.deepEqual(await s.certificates.findCertificateById(org.id, cert.id), {
      ...cert,
      status: 'revoked',
      revokedAt: T0 + 9,
    });
    assert.deepEqual(
      (await s.certificates.listCertificates(org.id, credential.id, { status: 'active' })).map((c) => c.id),
      [other.id],
    );
    assert.equal((await s.certificates.listCertificates(org.id, credential.id)).length, 2);
    const dup = certificateRecord(credential.id, { fingerprintSha256: cert.fingerprintSha256 });
    await assert.rejects(s.certificates.insertCertificate(org.id, dup), UniqueViolation);
    const sibling = await s.credentials.insertCredential(
      org.id,
      credentialRecord(project.id, { name: 'sibling' }),
    );
    const same = certificateRecord(sibling.id, { fingerprintSha256: cert.fingerprintSha256 });
    assert.equal(
      (await s.certificates.insertCertificate(org.id, same)).fingerprintSha256,
      cert.fingerprintSha256,
    );
  });

  void test('deleting a project removes its credentials, secrets and certificates', async () => {
    const s = storage();
    const { org, project, credential } = await seedOrg(s);
    const secret = await s.clientSecrets.insertClientSecret(org.id, secretRecord(credential.id));
    const cert = await s.certificates.insertCertificate(org.id, certificateRecord(credential.id));
    assert.equal(await s.projects.deleteProjectById(org.id, project.id), true);
    assert.equal(await s.projects.findProjectById(org.id, project.id), undefined);
    assert.equal(await s.credentials.findCredentialByClientId(credential.clientId), undefined);
    assert.deepEqual(await s.clientSecrets.listClientSecrets(org.id, credential.id), []);
    assert.equal(await s.certificates.findCertificateById(org.id, cert.id), undefined);
    assert.equal(await s.clientSecrets.deleteClientSecretById(org.id, secret.id), false);
    assert.equal(await s.projects.deleteProjectById(org.id, project.id), false);
  });

  void test('deleting a credential removes its secrets and certificates', async () => {
    const s = storage();
    const { org, credential } = await seedOrg(s);
    await s.clientSecrets.insertClientSecret(org.id, secretRecord(credential.id));
    const cert = await s.certificates.insertCertificate(org.id, certificateRecord(credential.id));
    assert.equal(await s.credentials.deleteCredentialById(org.id, credential.id), true);
    assert.equal(await s.credentials.findCredentialById(org.id, credential.id), undefined);
    assert.deepEqual(await s.clientSecrets.listClientSecrets(org.id, credential.id), []);
    assert.equal(await s.certificates.findCertificateById(org.id, cert.id), undefined);
  });
}
