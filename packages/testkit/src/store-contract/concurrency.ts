/** Unique constraints under concurrent writers, atomic replay protection, whole-transaction rollback, ping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UniqueViolation } from '@pims/core';
import type { Storage } from '@pims/core';
import {
  T0,
  credentialRecord,
  ids,
  orgRecord,
  projectRecord,
  secretRecord,
  seedOrg,
  settleAll,
} from './fixtures.js';

export function concurrencyContract(storage: () => Storage): void {
  void test('20 concurrent inserts of one client id: exactly one wins, the rest are UniqueViolation', async () => {
    const s = storage();
    const { org, project } = await seedOrg(s);
    const clientId = ids.clientId();
    const { fulfilled, rejected } = await settleAll(
      Array.from({ length: 20 }, (_, i) =>
        s.credentials.insertCredential(org.id, credentialRecord(project.id, { clientId, name: `c${i}` })),
      ),
    );
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 19);
    assert.ok(rejected.every((e) => e instanceof UniqueViolation));
    assert.deepEqual(await s.credentials.findCredentialByClientId(clientId), fulfilled[0]);
  });

  void test('50 concurrent insertUsedAssertion of one key: exactly one true', async () => {
    const s = storage();
    const key = `jti:${ids.clientId()}:${ids.uuid()}`;
    const { fulfilled, rejected } = await settleAll(
      Array.from({ length: 50 }, () =>
        s.usedAssertions.insertUsedAssertion({
          key,
          clientId: 'c',
          tokenClaims: null,
          createdAt: T0,
          expiresAt: T0 + 60_000,
        }),
      ),
    );
    assert.deepEqual(rejected, []);
    assert.equal(fulfilled.filter((won) => won).length, 1);
  });

  void test('50 concurrent takeovers of one expired key: exactly one true', async () => {
    const s = storage();
    const key = `sha256:${ids.uuid()}`;
    const row = { key, clientId: 'c', tokenClaims: null, createdAt: T0, expiresAt: T0 + 10 };
    assert.equal(await s.usedAssertions.insertUsedAssertion(row), true);
    const { fulfilled } = await settleAll(
      Array.from({ length: 50 }, () =>
        s.usedAssertions.insertUsedAssertion({ ...row, createdAt: T0 + 10, expiresAt: T0 + 60_000 }),
      ),
    );
    assert.equal(fulfilled.length, 50);
    assert.equal(fulfilled.filter((won) => won).length, 1);
  });

  void test('a transaction that throws after several writes leaves nothing behind', async () => {
    const s = storage();
    const org = orgRecord();
    const project = projectRecord();
    const credential = credentialRecord(project.id);
    const boom = new Error('boom');
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.organizations.insertOrganization(org);
        await tx.projects.insertProject(org.id, project);
        await tx.credentials.insertCredential(org.id, credential);
        await tx.clientSecrets.insertClientSecret(org.id, secretRecord(credential.id));
        assert.ok(await tx.credentials.findCredentialByClientId(credential.clientId), 'visible inside');
        throw boom;
      }),
      (err) => err === boom,
    );
    assert.equal(await s.organizations.findOrganizationById(org.id), undefined);
    assert.equal(await s.projects.findProjectById(org.id, project.id), undefined);
    assert.equal(await s.credentials.findCredentialByClientId(credential.clientId), undefined);
    assert.deepEqual(await s.clientSecrets.listClientSecrets(org.id, credential.id), []);
  });

  void test('a unique violation inside a transaction rolls the transaction back and surfaces normalised', async () => {
    const s = storage();
    const existing = await seedOrg(s);
    const org = orgRecord();
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.organizations.insertOrganization(org);
        const p = await tx.projects.insertProject(org.id, projectRecord());
        await tx.credentials.insertCredential(
          org.id,
          credentialRecord(p.id, { clientId: existing.credential.clientId }),
        );
      }),
      UniqueViolation,
    );
    assert.equal(await s.organizations.findOrganizationById(org.id), undefined);
  });

  void test('a committed transaction is visible afterwards and returns its value', async () => {
    const s = storage();
    const result = await s.transaction(async (tx) => {
      const made = await seedOrg(tx);
      return made.credential.clientId;
    });
    assert.ok(await s.credentials.findCredentialByClientId(result));
    await s.ping();
  });
}
