/** Organizations, users, memberships, operators, invitations, sessions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidCursor, ReferenceViolation, UniqueViolation } from '@pims/core';
import type { Organization, Storage } from '@pims/core';
import { T0, ids, invitationRecord, orgRecord, sessionRecord, userRecord } from './fixtures.js';

export function identityContract(storage: () => Storage): void {
  void test('organizations: insert, find, update, list with keyset pages', async () => {
    const s = storage();
    const made: Organization[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(await s.organizations.insertOrganization(orgRecord({ name: `Org ${i}`, createdAt: T0 + i })));
    }
    const first = made[0]!;
    assert.deepEqual(await s.organizations.findOrganizationById(first.id), first);
    assert.equal(await s.organizations.findOrganizationById(ids.orgId()), undefined);

    const updated = await s.organizations.updateOrganizationById(first.id, {
      status: 'disabled',
      updatedAt: T0 + 9,
    });
    assert.deepEqual(updated, { ...first, status: 'disabled', updatedAt: T0 + 9 });
    assert.deepEqual(await s.organizations.findOrganizationById(first.id), updated);
    assert.equal(
      await s.organizations.updateOrganizationById(ids.orgId(), { name: 'x', updatedAt: T0 }),
      undefined,
    );

    // Walk every page (other tests add orgs too): ours appear once each, in creation order.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.organizations.listOrganizations({ limit: 2, ...(cursor ? { cursor } : {}) });
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no org appears on two pages');
    const ours = seen.filter((id) => made.some((o) => o.id === id));
    assert.deepEqual(
      ours,
      made.map((o) => o.id),
    );

    const disabled = await s.organizations.listOrganizations({ status: 'disabled', limit: 500 });
    assert.ok(disabled.items.some((o) => o.id === first.id));
    assert.ok(disabled.items.every((o) => o.status === 'disabled'));
    await assert.rejects(s.organizations.listOrganizations({ cursor: 'not-a-cursor' }), InvalidCursor);
    await assert.rejects(s.organizations.insertOrganization(orgRecord({ id: first.id })), UniqueViolation);
  });

  void test('users: emails are unique and found case-insensitively', async () => {
    const s = storage();
    const user = await s.users.insertUser(userRecord({ email: `Ada.${ids.uuid()}@Example.TEST` }));
    assert.equal(user.email, user.email.toLowerCase());
    assert.deepEqual(await s.users.findUserById(user.id), user);
    assert.deepEqual(await s.users.findUserByEmail(user.email.toUpperCase()), user);
    assert.equal(await s.users.findUserByEmail('nobody@example.test'), undefined);
    const err = await s.users
      .insertUser(userRecord({ email: user.email.toUpperCase() }))
      .catch((e: unknown) => e);
    assert.ok(err instanceof UniqueViolation);
    assert.equal(err.code, 'STORAGE_UNIQUE_VIOLATION');
    assert.ok(!err.message.includes(user.email), 'the message never carries the value');

    const updated = await s.users.updateUserById(user.id, {
      passwordHash: 'scrypt$x',
      name: 'Ada L',
      updatedAt: T0 + 1,
    });
    assert.deepEqual(updated, { ...user, passwordHash: 'scrypt$x', name: 'Ada L', updatedAt: T0 + 1 });
    assert.deepEqual(await s.users.findUserById(user.id), updated);
    assert.equal(await s.users.updateUserById(ids.uuid(), { name: 'x', updatedAt: T0 }), undefined);
  });

  void test('memberships: insert, list by role, count admins, change role, delete', async () => {
    const s = storage();
    const org = await s.organizations.insertOrganization(orgRecord());
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await s.users.insertUser(userRecord()));
    const [a, b, c] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
    const m = { createdAt: T0, updatedAt: T0 };
    const ma = await s.memberships.insertMembership(org.id, { userId: a.id, role: 'admin', ...m });
    await s.memberships.insertMembership(org.id, { userId: b.id, role: 'admin', ...m, createdAt: T0 + 1 });
    await s.memberships.insertMembership(org.id, {
      userId: c.id,
      role: 'developer',
      ...m,
      createdAt: T0 + 2,
    });
    assert.deepEqual(ma, { orgId: org.id, userId: a.id, role: 'admin', ...m });
    assert.deepEqual(await s.memberships.findMembership(org.id, a.id), ma);
    assert.equal(await s.memberships.countAdmins(org.id), 2);

    const admins = await s.memberships.listMemberships(org.id, { role: 'admin' });
    assert.deepEqual(
      admins.items.map((x) => x.userId),
      [a.id, b.id],
    );
    const page1 = await s.memberships.listMemberships(org.id, { limit: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.nextCursor);
    const page2 = await s.memberships.listMemberships(org.id, { limit: 2, cursor: page1.nextCursor });
    assert.deepEqual(
      page2.items.map((x) => x.userId),
      [c.id],
    );
    assert.equal(page2.nextCursor, undefined);

    const other = await s.organizations.insertOrganization(orgRecord());
    await s.memberships.insertMembership(other.id, { userId: a.id, role: 'developer', ...m });
    assert.deepEqual(
      (await s.memberships.listMembershipsOfUser(a.id)).map((x) => x.orgId).sort(),
      [org.id, other.id].sort(),
    );

    const changed = await s.memberships.updateMembershipRole(org.id, b.id, 'developer', T0 + 5);
    assert.deepEqual(changed, {
      orgId: org.id,
      userId: b.id,
      role: 'developer',
      createdAt: T0 + 1,
      updatedAt: T0 + 5,
    });
    assert.equal(await s.memberships.countAdmins(org.id), 1);
    assert.equal(await s.memberships.deleteMembership(org.id, c.id), true);
    assert.equal(await s.memberships.deleteMembership(org.id, c.id), false);
    assert.equal(await s.memberships.findMembership(org.id, c.id), undefined);

    await assert.rejects(
      s.memberships.insertMembership(org.id, { userId: a.id, role: 'admin', ...m }),
      UniqueViolation,
    );
    await assert.rejects(
      s.memberships.insertMembership(org.id, { userId: ids.uuid(), role: 'admin', ...m }),
      ReferenceViolation,
    );
  });

  void test('operators: insert, find by id and email, list, update', async () => {
    const s = storage();
    const id = ids.uuid();
    const op = await s.operators.insertOperator({
      id,
      email: `Op-${id}@Example.test`,
      name: 'Op',
      passwordHash: 'scrypt$y',
      status: 'active',
      createdAt: T0,
      updatedAt: T0,
    });
    assert.deepEqual(await s.operators.findOperatorById(id), op);
    assert.deepEqual(await s.operators.findOperatorByEmail(`OP-${id}@EXAMPLE.TEST`), op);
    assert.ok((await s.operators.listOperators()).some((o) => o.id === id));
    const updated = await s.operators.updateOperatorById(id, { status: 'disabled', updatedAt: T0 + 1 });
    assert.equal(updated?.status, 'disabled');
    assert.equal((await s.operators.findOperatorById(id))?.status, 'disabled');
    await assert.rejects(s.operators.insertOperator({ ...op, id: ids.uuid() }), UniqueViolation);
  });

  void test('invitations: single use, not after expiry or revocation', async () => {
    const s = storage();
    const org = await s.organizations.insertOrganization(orgRecord());
    const inv = await s.invitations.insertInvitation(org.id, invitationRecord());
    assert.deepEqual(await s.invitations.findInvitationById(org.id, inv.id), inv);
    assert.deepEqual(await s.invitations.findInvitationByTokenHash(inv.tokenHash), inv);
    assert.equal(await s.invitations.markInvitationAccepted(org.id, inv.id, T0 + 10), true);
    assert.equal(await s.invitations.markInvitationAccepted(org.id, inv.id, T0 + 11), false, 'single use');
    assert.equal((await s.invitations.findInvitationById(org.id, inv.id))?.acceptedAt, T0 + 10);
    assert.equal(
      await s.invitations.revokeInvitationById(org.id, inv.id, T0 + 12),
      false,
      'accepted: not revocable',
    );

    const expired = await s.invitations.insertInvitation(org.id, invitationRecord({ expiresAt: T0 + 5 }));
    assert.equal(await s.invitations.markInvitationAccepted(org.id, expired.id, T0 + 5), false);

    const revoked = await s.invitations.insertInvitation(org.id, invitationRecord());
    assert.equal(await s.invitations.revokeInvitationById(org.id, revoked.id, T0 + 1), true);
    assert.equal(await s.invitations.revokeInvitationById(org.id, revoked.id, T0 + 2), false);
    assert.equal(await s.invitations.markInvitationAccepted(org.id, revoked.id, T0 + 3), false);
    assert.equal((await s.invitations.findInvitationById(org.id, revoked.id))?.revokedAt, T0 + 1);

    const listed = await s.invitations.listInvitations(org.id);
    assert.deepEqual(listed.items.map((i) => i.id).sort(), [inv.id, expired.id, revoked.id].sort());
    await assert.rejects(
      s.invitations.insertInvitation(org.id, invitationRecord({ tokenHash: inv.tokenHash })),
      UniqueViolation,
    );
  });

  void test('sessions: find by token hash, touch, revoke, expire', async () => {
    const s = storage();
    const subjectId = ids.uuid();
    const one = await s.sessions.insertSession(sessionRecord({ subjectId }));
    const two = await s.sessions.insertSession(sessionRecord({ subjectId, expiresAt: T0 + 10 }));
    assert.deepEqual(await s.sessions.findSessionByTokenHash(one.tokenHash), one);
    assert.equal(await s.sessions.findSessionByTokenHash('nope'), undefined);
    await s.sessions.touchSession(one.id, T0 + 100);
    assert.equal((await s.sessions.findSessionByTokenHash(one.tokenHash))?.lastSeenAt, T0 + 100);
    assert.deepEqual(
      (await s.sessions.listSessionsOfSubject('user', subjectId)).map((x) => x.id).sort(),
      [one.id, two.id].sort(),
    );
    assert.equal(await s.sessions.revokeSessionById(one.id, T0 + 200), true);
    assert.equal(await s.sessions.revokeSessionById(one.id, T0 + 201), false);
    assert.equal(
      await s.sessions.revokeSessionsOfSubject('user', subjectId, T0 + 300),
      1,
      'only the live one',
    );
    assert.equal((await s.sessions.findSessionByTokenHash(two.tokenHash))?.revokedAt, T0 + 300);
    assert.equal(await s.sessions.revokeSessionsOfSubject('operator', subjectId, T0 + 300), 0);
    const removed = await s.sessions.deleteExpiredSessions(T0 + 10);
    assert.ok(removed >= 1);
    assert.equal(await s.sessions.findSessionByTokenHash(two.tokenHash), undefined);
    assert.ok(await s.sessions.findSessionByTokenHash(one.tokenHash), 'not yet expired');
    await assert.rejects(
      s.sessions.insertSession(sessionRecord({ tokenHash: one.tokenHash })),
      UniqueViolation,
    );
  });
}
