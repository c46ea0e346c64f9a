import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, createTestConsole, tokenOf, type TestConsole } from './test-support.js';

let t: TestConsole;
before(async () => {
  t = await createTestConsole();
});
after(() => t.close());

void describe('operator onboarding and people', () => {
  it('operator creates an org, the admin accepts the invitation and signs in', async () => {
    const ops = await t.operator();
    const { orgId, admin } = await t.org(ops, 'alice@distributor.example', '<script>alert(1)</script> Ltd');
    const me = await t.request(admin, 'GET', '/api/v1/auth/session');
    assert.equal(me.statusCode, 200);
    const state = me.json<{
      subject: { email: string };
      memberships: Array<{ orgId: string; orgName: string; role: string }>;
    }>();
    assert.equal(state.subject.email, 'alice@distributor.example');
    assert.deepEqual(state.memberships, [{ orgId, orgName: '<script>alert(1)</script> Ltd', role: 'admin' }]);
    assert.match(String(me.headers['content-type']), /^application\/json/);
    assert.equal(me.headers['cache-control'], 'no-store');
  });

  it('invitation tokens are single use and expire after 7 days', async () => {
    const ops = await t.operator('ops2@platform.example');
    const created = await t.request(ops, 'POST', '/api/v1/operator/orgs', {
      name: 'Expiring',
      admins: ['x@a.example', 'y@a.example'],
    });
    const [first, second] = created.json<{ invitations: Array<{ link: string; emailSent: boolean }> }>()
      .invitations;
    assert.equal(first?.emailSent, false, 'no SMTP: the link is only logged and returned');
    const body = (link: string) => ({ token: tokenOf(link), password: PASSWORD });
    assert.equal(
      (await t.request(undefined, 'POST', '/api/v1/invitations/accept', body(first.link))).statusCode,
      200,
    );
    const reused = await t.request(undefined, 'POST', '/api/v1/invitations/accept', body(first.link));
    assert.deepEqual([reused.statusCode, reused.json<{ code: string }>().code], [404, 'console.not_found']);
    t.clock.advance(7 * 24 * 3_600_000 + 1);
    assert.equal(
      (await t.request(undefined, 'POST', '/api/v1/invitations/accept', body(second!.link))).statusCode,
      404,
    );
    assert.equal(
      (
        await t.request(undefined, 'POST', '/api/v1/invitations/accept', {
          token: 'A'.repeat(43),
          password: PASSWORD,
        })
      ).statusCode,
      404,
    );
  });

  it('login answers the same for unknown users and wrong passwords, and sets a hardened cookie', async () => {
    const unknown = await t.request(undefined, 'POST', '/api/v1/auth/login', {
      email: 'nobody@x.example',
      password: 'whatever-password',
    });
    const wrong = await t.request(undefined, 'POST', '/api/v1/auth/login', {
      email: 'alice@distributor.example',
      password: 'whatever-password',
    });
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(unknown.json(), wrong.json());
    assert.equal(unknown.headers['set-cookie'], undefined);
    const ok = await t.request(undefined, 'POST', '/api/v1/auth/login', {
      email: 'ALICE@distributor.example',
      password: PASSWORD,
    });
    assert.equal(ok.statusCode, 200);
    assert.match(
      String(ok.headers['set-cookie']),
      /^__Host-pims_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/,
    );
  });
});
