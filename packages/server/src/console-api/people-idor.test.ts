/**
 * Object-level access on the people paths (SECURITY CON-1, CON-8): member, invitation and session ids of another org
 * or another user answer 404 — through the other org's path and through the caller's own org's path — and change
 * nothing; a revoked invitation can't be accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, createTestConsole, tokenOf, type Session, type TestConsole } from './test-support.js';

let t: TestConsole;
before(async () => {
  t = await createTestConsole();
});
after(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Every row the people paths could change, as stored. */
async function snapshot() {
  const db = t.storage.db;
  return {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    memberships: await db
      .selectFrom('org_memberships')
      .selectAll()
      .orderBy('org_id')
      .orderBy('user_id')
      .execute(),
    invitations: await db.selectFrom('invitations').selectAll().orderBy('id').execute(),
    sessions: await db
      .selectFrom('sessions')
      .select(['id', 'revoked_at', 'expires_at'])
      .orderBy('id')
      .execute(),
    audit: await t.count('audit_events'),
  };
}

async function sessionIds(session: Session): Promise<string[]> {
  const r = await t.request(session, 'GET', '/api/v1/auth/sessions');
  assert.equal(r.statusCode, 200);
  return r.json<{ items: Array<{ id: string }> }>().items.map((s) => s.id);
}

void describe('people paths: ids of another org or another user (CON-1)', () => {
  it('answer 404 and change nothing, through either org’s path', async () => {
    const ops = await t.operator();
    const a = await t.org(ops, 'admin@a.example', 'Org A');
    const b = await t.org(ops, 'admin@b.example', 'Org B');
    const devA = await t.member(a.admin, a.orgId, 'dev@a.example', 'developer');
    const adminA2 = await t.member(a.admin, a.orgId, 'admin2@a.example', 'admin');
    const invited = await t.request(a.admin, 'POST', `/api/v1/orgs/${a.orgId}/invitations`, {
      email: 'new@a.example',
      role: 'admin',
    });
    const invitationA = invited.json<{ invitation: { id: string } }>().invitation.id;
    const [devSession] = await sessionIds(devA.session);
    assert.ok(devSession);

    const memberPaths = (orgId: string, userId: string): Array<[Method, string, unknown?]> => [
      ['PATCH', `/api/v1/orgs/${orgId}/members/${userId}`, { role: 'admin' }],
      ['POST', `/api/v1/orgs/${orgId}/members/${userId}/disable`],
      ['POST', `/api/v1/orgs/${orgId}/members/${userId}/enable`],
      ['DELETE', `/api/v1/orgs/${orgId}/members/${userId}`],
    ];
    const cases: Array<[string, Session, Method, string, unknown?]> = [
      // Org A's ids through org A's path, by org B's admin.
      ...memberPaths(a.orgId, devA.userId).map(
        (p) => ['B admin, A path', b.admin, ...p] as [string, Session, Method, string, unknown?],
      ),
      ...memberPaths(a.orgId, adminA2.userId).map(
        (p) => ['B admin, A path', b.admin, ...p] as [string, Session, Method, string, unknown?],
      ),
      ['B admin, A path', b.admin, 'GET', `/api/v1/orgs/${a.orgId}/invitations`],
      ['B admin, A path', b.admin, 'DELETE', `/api/v1/orgs/${a.orgId}/invitations/${invitationA}`],
      // Org A's ids through org B's own path, where B's admin has every right.
      ...memberPaths(b.orgId, devA.userId).map(
        (p) => ['B admin, B path', b.admin, ...p] as [string, Session, Method, string, unknown?],
      ),
      ...memberPaths(b.orgId, a.adminId).map(
        (p) => ['B admin, B path', b.admin, ...p] as [string, Session, Method, string, unknown?],
      ),
      ['B admin, B path', b.admin, 'DELETE', `/api/v1/orgs/${b.orgId}/invitations/${invitationA}`],
      // Org B's admin's id through org A's path, by org A's admin.
      ...memberPaths(a.orgId, b.adminId).map(
        (p) => ['A admin, B member', a.admin, ...p] as [string, Session, Method, string, unknown?],
      ),
      // Another user's session: another org's admin, and an admin of the same org.
      ['B admin', b.admin, 'DELETE', `/api/v1/auth/sessions/${devSession}`],
      ['A admin', a.admin, 'DELETE', `/api/v1/auth/sessions/${devSession}`],
    ];

    const before = await snapshot();
    for (const [who, session, method, url, body] of cases) {
      const r = await t.request(session, method, url, body);
      assert.deepEqual(
        [r.statusCode, r.json<{ code: string }>().code],
        [404, 'console.not_found'],
        `${who}: ${method} ${url}: ${r.body}`,
      );
      assert.ok(!r.body.includes('@a.example') && !r.body.includes('@b.example'), 'no row of another org');
    }
    assert.deepEqual(await snapshot(), before, 'nothing changed');
    // The targets still work.
    assert.deepEqual(await sessionIds(devA.session), [devSession]);
    const members = await t.request(a.admin, 'GET', `/api/v1/orgs/${a.orgId}/members`);
    assert.deepEqual(
      members
        .json<{ items: Array<{ email: string; role: string; status: string }> }>()
        .items.map((m) => [m.email, m.role, m.status])
        .sort(),
      [
        ['admin2@a.example', 'admin', 'active'],
        ['admin@a.example', 'admin', 'active'],
        ['dev@a.example', 'developer', 'active'],
      ],
    );
  });

  it('a revoked invitation can’t be accepted, and nothing is created', async () => {
    const ops = await t.operator('ops-revoke@platform.example');
    const { orgId, admin } = await t.org(ops, 'admin@revoke.example', 'Revoking');
    const invited = await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/invitations`, {
      email: 'late@revoke.example',
      role: 'admin',
    });
    const { invitation, link } = invited.json<{ invitation: { id: string }; link: string }>();
    const revoked = await t.request(admin, 'DELETE', `/api/v1/orgs/${orgId}/invitations/${invitation.id}`);
    assert.equal(revoked.statusCode, 204);
    const before = await snapshot();
    const accepted = await t.request(undefined, 'POST', '/api/v1/invitations/accept', {
      token: tokenOf(link),
      name: 'Late',
      password: PASSWORD,
    });
    assert.deepEqual(
      [accepted.statusCode, accepted.json<{ code: string }>().code],
      [404, 'console.not_found'],
    );
    const after = await snapshot();
    assert.deepEqual(
      after,
      before,
      'no user, membership, session or audit row; the invitation stays revoked',
    );
    assert.ok(!after.users.some((u) => u.email === 'late@revoke.example'));
    const login = await t.request(undefined, 'POST', '/api/v1/auth/login', {
      email: 'late@revoke.example',
      password: PASSWORD,
    });
    assert.equal(login.statusCode, 401);
    // Revoking twice, or an id that is not there: 404.
    assert.equal(
      (await t.request(admin, 'DELETE', `/api/v1/orgs/${orgId}/invitations/${invitation.id}`)).statusCode,
      404,
    );
  });
});
