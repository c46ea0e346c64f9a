/** Signing keys, used assertions, revocations, audit events. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidCursor, UniqueViolation } from '@pims/core';
import type { AuditEvent, Storage } from '@pims/core';
import { T0, auditRecord, ids, orgRecord, signingKeyRecord } from './fixtures.js';

export function tokenContract(storage: () => Storage): void {
  void test('signing keys: insert, find, list by state, update, delete', async () => {
    const s = storage();
    const next = await s.signingKeys.insertSigningKey(signingKeyRecord());
    const active = await s.signingKeys.insertSigningKey(
      signingKeyRecord({ state: 'active', activatedAt: T0 }),
    );
    assert.deepEqual(await s.signingKeys.findSigningKeyByKid(next.kid), next);
    assert.equal(typeof next.publicJwk.kty, 'string', 'JWK parsed back into an object');
    const actives = await s.signingKeys.listSigningKeys({ states: ['active'] });
    assert.ok(actives.some((k) => k.kid === active.kid));
    assert.ok(actives.every((k) => k.state === 'active'));
    assert.deepEqual(await s.signingKeys.listSigningKeys({ states: [] }), []);

    const retired = await s.signingKeys.updateSigningKey(active.kid, {
      state: 'retired',
      retiredAt: T0 + 1,
      removeAfter: T0 + 86_400_000,
    });
    assert.deepEqual(retired, {
      ...active,
      state: 'retired',
      retiredAt: T0 + 1,
      removeAfter: T0 + 86_400_000,
    });
    assert.deepEqual(await s.signingKeys.findSigningKeyByKid(active.kid), retired);
    assert.equal(await s.signingKeys.updateSigningKey(ids.uuid(), { state: 'active' }), undefined);
    assert.equal(await s.signingKeys.deleteSigningKeyByKid(active.kid), true);
    assert.equal(await s.signingKeys.deleteSigningKeyByKid(active.kid), false);
    assert.equal(await s.signingKeys.findSigningKeyByKid(active.kid), undefined);
    await assert.rejects(s.signingKeys.insertSigningKey(next), UniqueViolation);
  });

  void test('used assertions: once until expiry, then reusable; claims kept', async () => {
    const s = storage();
    const key = `jti:${ids.clientId()}:${ids.uuid()}`;
    const base = { key, clientId: 'c', tokenClaims: null, createdAt: T0, expiresAt: T0 + 1000 };
    assert.equal(await s.usedAssertions.insertUsedAssertion(base), true);
    assert.equal(await s.usedAssertions.insertUsedAssertion({ ...base, createdAt: T0 + 999 }), false);
    assert.deepEqual(await s.usedAssertions.findUsedAssertion(key, T0 + 999), base);
    assert.equal(
      await s.usedAssertions.findUsedAssertion(key, T0 + 1000),
      undefined,
      'expired rows are not found',
    );

    const again = { ...base, createdAt: T0 + 1000, expiresAt: T0 + 5000, tokenClaims: { jti: 'x', n: 1 } };
    assert.equal(await s.usedAssertions.insertUsedAssertion(again), true, 'an expired key can be used again');
    assert.deepEqual(await s.usedAssertions.findUsedAssertion(key, T0 + 1001), again);
    assert.equal(await s.usedAssertions.insertUsedAssertion({ ...again, createdAt: T0 + 1002 }), false);

    const short = { ...base, key: `sha256:${ids.uuid()}`, expiresAt: T0 + 10 };
    await s.usedAssertions.insertUsedAssertion(short);
    assert.ok((await s.usedAssertions.deleteExpiredAssertions(T0 + 10)) >= 1);
    assert.equal(await s.usedAssertions.findUsedAssertion(short.key, T0), undefined);
    assert.ok(await s.usedAssertions.findUsedAssertion(key, T0 + 1001), 'unexpired rows stay');
  });

  void test('revocations: increasing seq, feed since a cursor, expiry', async () => {
    const s = storage();
    const subject = ids.uuid();
    const r1 = await s.revocations.insertRevocation({
      kind: 'token',
      subject,
      orgId: null,
      expiresAt: T0 + 100,
      createdAt: T0,
    });
    const r2 = await s.revocations.insertRevocation({
      kind: 'credential',
      subject: ids.clientId(),
      orgId: ids.orgId(),
      expiresAt: T0 + 10_000,
      createdAt: T0,
    });
    const r3 = await s.revocations.insertRevocation({
      kind: 'org',
      subject: ids.orgId(),
      orgId: null,
      expiresAt: T0 + 10_000,
      createdAt: T0,
    });
    assert.ok(r1.seq < r2.seq && r2.seq < r3.seq);
    assert.equal(typeof r1.seq, 'number');
    assert.deepEqual(
      (await s.revocations.listRevocationsSince(r1.seq - 1, T0)).map((r) => r.seq),
      [r1.seq, r2.seq, r3.seq],
    );
    assert.deepEqual(await s.revocations.listRevocationsSince(r1.seq, T0, 1), [r2]);
    assert.deepEqual(
      (await s.revocations.listRevocationsSince(r1.seq - 1, T0 + 100)).map((r) => r.seq),
      [r2.seq, r3.seq],
      'expired revocations leave the feed',
    );
    assert.equal(await s.revocations.isRevoked('token', subject, T0 + 99), true);
    assert.equal(await s.revocations.isRevoked('token', subject, T0 + 100), false);
    assert.equal(await s.revocations.isRevoked('credential', subject, T0), false, 'kind matters');
    assert.ok((await s.revocations.deleteExpiredRevocations(T0 + 100)) >= 1);
    assert.equal(
      (await s.revocations.listRevocationsSince(r1.seq - 1, 0)).some((r) => r.seq === r1.seq),
      false,
    );
  });

  void test('audit events: newest first, filters, pages, all orgs', async () => {
    const s = storage();
    const a = await s.organizations.insertOrganization(orgRecord());
    const b = await s.organizations.insertOrganization(orgRecord());
    const action = `test.${ids.uuid()}`;
    const made: AuditEvent[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await s.auditEvents.insertAuditEvent(
          auditRecord({
            orgId: i % 2 === 0 ? a.id : b.id,
            action,
            actorType: 'user',
            actorId: `actor-${i % 2}`,
            outcome: i === 4 ? 'failure' : 'success',
            createdAt: T0 + i,
            details: { i },
          }),
        ),
      );
    }
    assert.ok(made.every((e, i) => i === 0 || e.id > made[i - 1]!.id));
    const inA = await s.auditEvents.listAuditEvents(a.id, { action });
    assert.deepEqual(
      inA.items.map((e) => e.details.i),
      [4, 2, 0],
    );
    assert.deepEqual(inA.items[0], made[4]);
    const all = await s.auditEvents.listAuditEvents(null, { action });
    assert.equal(all.items.length, 5);
    assert.deepEqual((await s.auditEvents.listAuditEvents(null, { action, outcome: 'failure' })).items, [
      made[4],
    ]);
    assert.equal((await s.auditEvents.listAuditEvents(null, { action, actorId: 'actor-1' })).items.length, 2);
    const window = await s.auditEvents.listAuditEvents(null, { action, from: T0 + 1, to: T0 + 3 });
    assert.deepEqual(
      window.items.map((e) => e.details.i),
      [2, 1],
    );

    const page1 = await s.auditEvents.listAuditEvents(null, { action, limit: 3 });
    const page2 = await s.auditEvents.listAuditEvents(null, { action, limit: 3, cursor: page1.nextCursor });
    assert.deepEqual(
      [...page1.items, ...page2.items].map((e) => e.details.i),
      [4, 3, 2, 1, 0],
    );
    assert.equal(page2.nextCursor, undefined);
    await assert.rejects(s.auditEvents.listAuditEvents(null, { cursor: 'eyJ4IjoxfQ' }), InvalidCursor);
  });
}
