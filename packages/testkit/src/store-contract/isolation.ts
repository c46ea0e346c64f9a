/** Two orgs with the same names: nothing of one is found, changed or deleted through the other. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Storage } from '@pims/core';
import {
  T0,
  certificateRecord,
  credentialRecord,
  invitationRecord,
  orgRecord,
  projectRecord,
  secretRecord,
  userRecord,
} from './fixtures.js';

async function twoOrgs(s: Storage) {
  const make = async () => {
    const org = await s.organizations.insertOrganization(orgRecord({ name: 'Same name' }));
    const project = await s.projects.insertProject(org.id, projectRecord({ name: 'Same project' }));
    const credential = await s.credentials.insertCredential(
      org.id,
      credentialRecord(project.id, { name: 'Same cred' }),
    );
    const secret = await s.clientSecrets.insertClientSecret(org.id, secretRecord(credential.id));
    const certificate = await s.certificates.insertCertificate(org.id, certificateRecord(credential.id));
    const invitation = await s.invitations.insertInvitation(org.id, invitationRecord());
    const user = await s.users.insertUser(userRecord());
    const membership = await s.memberships.insertMembership(org.id, {
      userId: user.id,
      role: 'admin',
      createdAt: T0,
      updatedAt: T0,
    });
    return { org, project, credential, secret, certificate, invitation, user, membership };
  };
  return { a: await make(), b: await make() };
}

export function isolationContract(storage: () => Storage): void {
  void test('two orgs: same names live side by side, lists show only their own', async () => {
    const s = storage();
    const { a, b } = await twoOrgs(s);
    assert.equal(a.project.name, b.project.name);
    assert.deepEqual(
      (await s.projects.listProjects(a.org.id)).items.map((p) => p.id),
      [a.project.id],
    );
    assert.deepEqual(
      (await s.credentials.listCredentials(b.org.id)).items.map((c) => c.id),
      [b.credential.id],
    );
    assert.deepEqual(
      (await s.credentials.listCredentials(a.org.id, { projectId: b.project.id })).items,
      [],
      'a project id of another org lists nothing',
    );
    assert.deepEqual(
      (await s.memberships.listMemberships(a.org.id)).items.map((m) => m.userId),
      [a.user.id],
    );
    assert.deepEqual(
      (await s.invitations.listInvitations(b.org.id)).items.map((i) => i.id),
      [b.invitation.id],
    );
    assert.deepEqual(await s.clientSecrets.listClientSecrets(a.org.id, b.credential.id), []);
    assert.deepEqual(await s.certificates.listCertificates(a.org.id, b.credential.id), []);
  });

  void test('two orgs: a find across orgs returns undefined', async () => {
    const s = storage();
    const { a, b } = await twoOrgs(s);
    assert.equal(await s.projects.findProjectById(a.org.id, b.project.id), undefined);
    assert.equal(await s.credentials.findCredentialById(a.org.id, b.credential.id), undefined);
    assert.equal(await s.certificates.findCertificateById(a.org.id, b.certificate.id), undefined);
    assert.equal(await s.invitations.findInvitationById(a.org.id, b.invitation.id), undefined);
    assert.equal(await s.memberships.findMembership(a.org.id, b.user.id), undefined);
    assert.equal(await s.memberships.countAdmins(a.org.id), 1);
    // Sanity: the same calls with the right org do find them.
    assert.deepEqual(await s.projects.findProjectById(b.org.id, b.project.id), b.project);
    assert.deepEqual(await s.credentials.findCredentialById(b.org.id, b.credential.id), b.credential);
  });

  void test('two orgs: updates and deletes across orgs change nothing', async () => {
    const s = storage();
    const { a, b } = await twoOrgs(s);
    const now = T0 + 1000;
    assert.equal(
      await s.projects.updateProjectById(a.org.id, b.project.id, { name: 'hijacked', updatedAt: now }),
      undefined,
    );
    assert.equal(
      await s.credentials.updateCredentialById(a.org.id, b.credential.id, {
        status: 'disabled',
        scopes: [],
        updatedAt: now,
      }),
      undefined,
    );
    assert.equal(await s.memberships.updateMembershipRole(a.org.id, b.user.id, 'developer', now), undefined);
    assert.equal(await s.invitations.markInvitationAccepted(a.org.id, b.invitation.id, T0 + 1), false);
    assert.equal(await s.invitations.revokeInvitationById(a.org.id, b.invitation.id, now), false);
    assert.equal(await s.certificates.revokeCertificateById(a.org.id, b.certificate.id, now), false);
    await s.clientSecrets.touchClientSecret(a.org.id, b.secret.id, now);
    assert.equal(await s.clientSecrets.deleteClientSecretById(a.org.id, b.secret.id), false);
    assert.equal(await s.memberships.deleteMembership(a.org.id, b.user.id), false);
    assert.equal(await s.credentials.deleteCredentialById(a.org.id, b.credential.id), false);
    assert.equal(await s.projects.deleteProjectById(a.org.id, b.project.id), false);

    // Re-read everything of org B: untouched.
    assert.deepEqual(await s.projects.findProjectById(b.org.id, b.project.id), b.project);
    assert.deepEqual(await s.credentials.findCredentialById(b.org.id, b.credential.id), b.credential);
    assert.deepEqual(await s.memberships.findMembership(b.org.id, b.user.id), b.membership);
    assert.deepEqual(await s.invitations.findInvitationById(b.org.id, b.invitation.id), b.invitation);
    assert.deepEqual(await s.certificates.findCertificateById(b.org.id, b.certificate.id), b.certificate);
    assert.deepEqual(await s.clientSecrets.listClientSecrets(b.org.id, b.credential.id), [b.secret]);
  });
}
