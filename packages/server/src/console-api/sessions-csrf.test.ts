import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSWORD, createTestConsole, type Session, type TestConsole } from './test-support.js';

let t: TestConsole;
let ops: Session;
let orgId: string;
let admin: Session;
let adminId: string;
before(async () => {
  t = await createTestConsole();
  ops = await t.operator();
  ({ orgId, admin, adminId } = await t.org(ops, 'admin@d.example'));
});
after(() => t.close());

const code = (r: { json<T>(): T }) => r.json<{ code: string }>().code;

void describe('CSRF (CON-4)', () => {
  it('refuses a state change without the session-bound header, with a wrong one, or from another origin', async () => {
    const url = `/api/v1/orgs/${orgId}/projects`;
    const body = { name: 'P' };
    const none = await t.request(admin, 'POST', url, body, { 'x-pims-csrf': '' });
    const wrong = await t.request(admin, 'POST', url, body, { 'x-pims-csrf': 'A'.repeat(43) });
    const crossOrigin = await t.request(admin, 'POST', url, body, { origin: 'https://evil.example' });
    const crossSite = await t.request(admin, 'POST', url, body, { 'sec-fetch-site': 'cross-site' });
    for (const r of [none, wrong, crossOrigin, crossSite])
      assert.deepEqual([r.statusCode, code(r)], [403, 'console.csrf_failed']);
    assert.equal(await t.count('projects'), 0);
    const ok = await t.request(admin, 'POST', url, body, { origin: 'https://ims.test.example' });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.headers['access-control-allow-origin'], undefined);
  });

  it('login itself needs the custom header, and GET changes nothing', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'admin@d.example', password: PASSWORD }),
    });
    assert.equal(r.statusCode, 403);
    assert.equal((await t.request(admin, 'GET', '/api/v1/auth/logout')).statusCode, 404);
  });

  it('only JSON bodies are accepted (415), and large ones are refused (413)', async () => {
    const form = await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/projects`, undefined, {
      'content-type': 'text/plain',
    });
    assert.equal(form.statusCode, 415);
    const big = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/projects`,
      headers: { cookie: admin.cookie, 'x-pims-csrf': admin.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', description: 'y'.repeat(100_000) }),
    });
    assert.equal(big.statusCode, 413);
  });
});

void describe('sessions (CON-3)', () => {
  it('a cookie set before login is never adopted: login issues a new session id', async () => {
    const planted = { cookie: '__Host-pims_session=attacker-chosen-value-0123456789', csrf: 'x' };
    const r = await t.request(
      undefined,
      'POST',
      '/api/v1/auth/login',
      { email: 'admin@d.example', password: PASSWORD },
      { cookie: planted.cookie },
    );
    assert.equal(r.statusCode, 200);
    assert.ok(!String(r.headers['set-cookie']).includes('attacker-chosen'));
    assert.equal((await t.request(planted, 'GET', '/api/v1/auth/session')).statusCode, 401);
  });

  it('logout ends the session on the server; idle and absolute timeouts end it too', async () => {
    const s = await t.login('admin@d.example');
    assert.equal((await t.request(s, 'POST', '/api/v1/auth/logout')).statusCode, 204);
    assert.equal((await t.request(s, 'GET', '/api/v1/auth/session')).statusCode, 401);
    const idle = await t.login('admin@d.example');
    t.clock.advance(31 * 60_000);
    assert.equal((await t.request(idle, 'GET', '/api/v1/auth/session')).statusCode, 401);
    const busy = await t.login('admin@d.example');
    for (let i = 0; i < 25; i += 1) {
      t.clock.advance(29 * 60_000);
      const r = await t.request(busy, 'GET', '/api/v1/auth/session');
      if (i < 24) assert.equal(r.statusCode, 200, `minute ${(i + 1) * 29}`);
      else assert.equal(r.statusCode, 401, 'past 12 h absolute');
    }
  });

  it('a password change ends every session and hands out a fresh one', async () => {
    const a = await t.login('admin@d.example');
    const b = await t.login('admin@d.example');
    const changed = await t.request(a, 'POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}!`,
    });
    assert.equal(changed.statusCode, 200);
    assert.equal((await t.request(a, 'GET', '/api/v1/auth/session')).statusCode, 401);
    assert.equal((await t.request(b, 'GET', '/api/v1/auth/session')).statusCode, 401);
    const fresh = {
      cookie: String(changed.headers['set-cookie']).split(';')[0]!,
      csrf: changed.json<{ csrfToken: string }>().csrfToken,
    };
    assert.equal((await t.request(fresh, 'GET', '/api/v1/auth/session')).statusCode, 200);
    const back = await t.request(fresh, 'POST', '/api/v1/auth/password', {
      currentPassword: `${PASSWORD}!`,
      newPassword: PASSWORD,
    });
    assert.equal(back.statusCode, 200);
    admin = await t.login('admin@d.example');
  });

  it('login is throttled per account and address; another address is not locked out', async () => {
    const attempt = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json', 'x-pims-csrf': '1' },
        payload: JSON.stringify({ email: 'admin@d.example', password: 'wrong-password-here' }),
      });
    const codes: number[] = [];
    for (let i = 0; i < 11; i += 1) codes.push((await attempt('203.0.113.9')).statusCode);
    assert.deepEqual(codes, [...Array<number>(10).fill(401), 429]);
    const limited = await attempt('203.0.113.9');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await attempt('198.51.100.7')).statusCode, 401, 'the owner elsewhere can still try');
  });
});

void describe('members (CON-1, CON-2)', () => {
  it('the last admin can be neither demoted nor removed nor disabled; a developer cannot promote', async () => {
    for (const [method, url, body] of [
      ['PATCH', `/api/v1/orgs/${orgId}/members/${adminId}`, { role: 'developer' }],
      ['DELETE', `/api/v1/orgs/${orgId}/members/${adminId}`, undefined],
      ['POST', `/api/v1/orgs/${orgId}/members/${adminId}/disable`, undefined],
    ] as const) {
      const r = await t.request(admin, method, url, body);
      assert.deepEqual([r.statusCode, code(r)], [409, 'console.conflict'], `${method} ${url}`);
    }
    const dev = await t.member(admin, orgId, 'dev@d.example', 'developer');
    const promote = await t.request(dev.session, 'PATCH', `/api/v1/orgs/${orgId}/members/${dev.userId}`, {
      role: 'admin',
    });
    const invite = await t.request(dev.session, 'POST', `/api/v1/orgs/${orgId}/invitations`, {
      email: 'mallory@x.example',
      role: 'admin',
    });
    assert.deepEqual([promote.statusCode, invite.statusCode], [403, 403]);
  });

  it('mass assignment: role, orgId, status in bodies are refused and nothing changes', async () => {
    const invitation = await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/invitations`, {
      email: 'z@d.example',
      role: 'developer',
    });
    const token = invitation.json<{ link: string }>().link.split('#')[1];
    const r = await t.request(undefined, 'POST', '/api/v1/invitations/accept', {
      token,
      password: PASSWORD,
      role: 'admin',
      orgId: 'X',
    });
    assert.equal(r.statusCode, 400);
    assert.deepEqual(r.json<{ details: unknown }>().details, [
      { field: 'body.role', message: 'is not allowed' },
      { field: 'body.orgId', message: 'is not allowed' },
    ]);
    const project = await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/projects`, {
      name: 'Q',
      orgId: 'OTHER',
      status: 'x',
    });
    assert.equal(project.statusCode, 400);
  });

  it('a role change ends the member’s sessions', async () => {
    const dev = await t.member(admin, orgId, 'dev2@d.example', 'developer');
    const r = await t.request(admin, 'PATCH', `/api/v1/orgs/${orgId}/members/${dev.userId}`, {
      role: 'admin',
    });
    assert.deepEqual([r.statusCode, r.json<{ role: string }>().role], [200, 'admin']);
    assert.equal((await t.request(dev.session, 'GET', '/api/v1/auth/session')).statusCode, 401);
  });

  it('every field is validated with a message naming it', async () => {
    const r = await t.request(ops, 'POST', '/api/v1/operator/orgs', { name: '', admins: ['not-an-email'] });
    assert.equal(r.statusCode, 400);
    assert.deepEqual(r.json(), {
      code: 'console.validation_failed',
      message: 'The request is invalid.',
      details: [
        { field: 'body.name', message: 'must not be empty' },
        { field: 'body.admins.0', message: 'must be an e-mail address' },
      ],
    });
  });
});
