import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateClientKeyPair } from '@pims/core';
import { createTestConsole, type Session, type TestConsole } from './test-support.js';

let t: TestConsole;
let ops: Session;
let orgId: string;
let admin: Session;
let dev: Session;
before(async () => {
  t = await createTestConsole({ environment: 'production' });
  ops = await t.operator();
  ({ orgId, admin } = await t.org(ops, 'admin@d.example'));
  dev = (await t.member(admin, orgId, 'dev@d.example', 'developer')).session;
});
after(() => t.close());

interface Created {
  credential: {
    id: string;
    clientId: string;
    secrets: Array<{ id: string }>;
    certificates: Array<{ id: string }>;
  };
  clientSecret: string;
  privateKey?: string;
  workspace: { project: { org: { ims_org_id: string } } };
}

async function project(caller: Session, name: string): Promise<string> {
  const r = await t.request(caller, 'POST', `/api/v1/orgs/${orgId}/projects`, { name });
  assert.equal(r.statusCode, 201, r.body);
  return r.json<{ id: string }>().id;
}

void describe('credentials (production: members serve themselves)', () => {
  it('a developer creates a JWT + OAuth credential with a generated key: secret and private key shown once', async () => {
    const projectId = await project(dev, 'Integration');
    const r = await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/credentials`, {
      projectId,
      name: 'Server',
      jwt: true,
      oauth: true,
      certificate: { generate: true },
    });
    assert.equal(r.statusCode, 201, r.body);
    const created = r.json<Created>();
    assert.match(created.clientSecret, /^p8e-[A-Za-z0-9_-]{43}$/);
    assert.match(created.privateKey ?? '', /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(created.workspace.project.org.ims_org_id, orgId);
    const read = await t.request(dev, 'GET', `/api/v1/orgs/${orgId}/credentials/${created.credential.id}`);
    assert.equal(read.statusCode, 200);
    assert.ok(
      !read.body.includes(created.clientSecret) &&
        !read.body.includes('secretHash') &&
        !read.body.includes('h1:'),
    );
    assert.ok(!read.body.includes('PRIVATE KEY'));
    const download = await t.request(
      dev,
      'GET',
      `/api/v1/orgs/${orgId}/credentials/${created.credential.id}/workspace`,
    );
    assert.equal(download.statusCode, 200);
    assert.ok(!download.body.includes(created.clientSecret));
  });

  it('secrets: at most 2, rotate by adding then deleting, never the last one', async () => {
    const projectId = await project(dev, 'Secrets');
    const created = (
      await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/credentials`, {
        projectId,
        name: 'S',
        jwt: false,
        oauth: true,
      })
    ).json<Created>();
    const base = `/api/v1/orgs/${orgId}/credentials/${created.credential.id}/secrets`;
    const second = await t.request(dev, 'POST', base);
    assert.equal(second.statusCode, 201);
    assert.equal((await t.request(dev, 'POST', base)).statusCode, 409);
    assert.equal(
      (await t.request(dev, 'DELETE', `${base}/${created.credential.secrets[0]!.id}`)).statusCode,
      204,
    );
    const remaining = second.json<{ secret: { id: string } }>().secret.id;
    assert.equal((await t.request(dev, 'DELETE', `${base}/${remaining}`)).statusCode, 409);
  });

  it('certificates: upload checked (private keys, small keys, expired refused), at most 3 active, revoke', async () => {
    const projectId = await project(dev, 'Certs');
    const created = (
      await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/credentials`, { projectId, name: 'C' })
    ).json<Created>();
    const base = `/api/v1/orgs/${orgId}/credentials/${created.credential.id}/certificates`;
    const pair = await generateClientKeyPair({ commonName: 'up', now: t.clock.now() });
    const withKey = await t.request(dev, 'POST', base, {
      pem: `${pair.certificatePem}${pair.privateKeyPem}`,
    });
    assert.deepEqual(
      [withKey.statusCode, withKey.json<{ details: unknown }>().details],
      [
        422,
        [
          {
            field: 'certificate.pem',
            message: 'must not contain a private key: upload the certificate only',
          },
        ],
      ],
    );
    const small = await generateClientKeyPair({
      commonName: 'small',
      now: t.clock.now(),
      modulusLength: 1024,
    });
    assert.equal((await t.request(dev, 'POST', base, { pem: small.certificatePem })).statusCode, 422);
    const old = await generateClientKeyPair({ commonName: 'old', now: t.clock.now() - 400 * 86_400_000 });
    assert.equal((await t.request(dev, 'POST', base, { pem: old.certificatePem })).statusCode, 422);
    assert.equal((await t.request(dev, 'POST', base, { pem: 'hello' })).statusCode, 422);
    const uploaded = await t.request(dev, 'POST', base, { pem: pair.certificatePem });
    assert.equal(uploaded.statusCode, 201);
    assert.equal(
      (await t.request(dev, 'POST', base, { pem: pair.certificatePem })).statusCode,
      409,
      'same certificate twice',
    );
    assert.equal((await t.request(dev, 'POST', base, { generate: true })).statusCode, 201);
    assert.equal((await t.request(dev, 'POST', base, { generate: true })).statusCode, 201);
    assert.equal(
      (await t.request(dev, 'POST', base, { generate: true })).statusCode,
      409,
      'a fourth active one',
    );
    const id = uploaded.json<{ certificate: { id: string } }>().certificate.id;
    assert.equal((await t.request(dev, 'DELETE', `${base}/${id}`)).statusCode, 204);
    assert.equal((await t.request(dev, 'POST', base, { generate: true })).statusCode, 201);
  });

  it('disabling and deleting a credential revoke its tokens (revocation feed)', async () => {
    const projectId = await project(dev, 'Revoke');
    const created = (
      await t.request(dev, 'POST', `/api/v1/orgs/${orgId}/credentials`, { projectId, name: 'R', oauth: true })
    ).json<Created>();
    const url = `/api/v1/orgs/${orgId}/credentials/${created.credential.id}`;
    assert.equal((await t.request(dev, 'POST', `${url}/disable`)).statusCode, 200);
    const feed = await t.app.inject({ method: 'GET', url: '/ims/revocations?since=0' });
    assert.ok(feed.body.includes(created.credential.clientId), feed.body);
    assert.equal((await t.request(dev, 'DELETE', url)).statusCode, 204);
    assert.equal((await t.request(dev, 'GET', url)).statusCode, 404);
  });
});

void describe('object-level access (IDOR) and roles', () => {
  it('another org’s admin gets 404 on every id of this org; anonymous 401', async () => {
    const other = await t.org(ops, 'eve@other.example', 'Other');
    const projectId = await project(admin, 'Mine');
    const created = (
      await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/credentials`, {
        projectId,
        name: 'M',
        certificate: { generate: true },
      })
    ).json<Created>();
    const c = created.credential;
    const paths: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?]> = [
      ['GET', `/api/v1/orgs/${orgId}`],
      ['GET', `/api/v1/orgs/${orgId}/projects/${projectId}`],
      ['PATCH', `/api/v1/orgs/${orgId}/projects/${projectId}`, { name: 'stolen' }],
      ['DELETE', `/api/v1/orgs/${orgId}/projects/${projectId}`],
      ['GET', `/api/v1/orgs/${orgId}/credentials/${c.id}`],
      ['GET', `/api/v1/orgs/${orgId}/credentials/${c.id}/workspace`],
      ['POST', `/api/v1/orgs/${orgId}/credentials/${c.id}/disable`],
      ['POST', `/api/v1/orgs/${orgId}/credentials/${c.id}/secrets`],
      ['DELETE', `/api/v1/orgs/${orgId}/credentials/${c.id}/secrets/${c.secrets[0]!.id}`],
      ['DELETE', `/api/v1/orgs/${orgId}/credentials/${c.id}/certificates/${c.certificates[0]!.id}`],
      ['GET', `/api/v1/orgs/${orgId}/members`],
      ['GET', `/api/v1/orgs/${orgId}/audit`],
      ['POST', `/api/v1/orgs/${orgId}/invitations`, { email: 'spy@x.example', role: 'admin' }],
      // This org's credential through the other org's path: still not found.
      ['GET', `/api/v1/orgs/${other.orgId}/credentials/${c.id}`],
      ['DELETE', `/api/v1/orgs/${other.orgId}/projects/${projectId}`],
    ];
    const before = await t.count('audit_events');
    for (const [method, url, body] of paths) {
      const r = await t.request(other.admin, method, url, body);
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      const anonymous = await t.request(undefined, method, url, body);
      assert.equal(anonymous.statusCode, 401, `anonymous ${method} ${url}`);
    }
    assert.equal(await t.count('audit_events'), before, 'nothing changed');
    assert.equal(
      (await t.request(admin, 'GET', `/api/v1/orgs/${orgId}/credentials/${c.id}`)).json<{ status: string }>()
        .status,
      'active',
    );
  });

  it('role × route: operator, admin, developer, other org’s admin, anonymous', async () => {
    const other = await t.org(ops, 'mallory@other2.example', 'Other2');
    const callers: Record<string, Session | undefined> = {
      operator: ops,
      admin,
      developer: dev,
      otherAdmin: other.admin,
      anonymous: undefined,
    };
    const table: Array<[string, 'GET' | 'POST', string, unknown, Record<string, number>]> = [
      [
        'list orgs',
        'GET',
        '/api/v1/operator/orgs',
        undefined,
        { operator: 200, admin: 403, developer: 403, otherAdmin: 403, anonymous: 401 },
      ],
      [
        'create org',
        'POST',
        '/api/v1/operator/orgs',
        { name: 'N', admins: ['n@n.example'] },
        { operator: 201, admin: 403, developer: 403, otherAdmin: 403, anonymous: 401 },
      ],
      [
        'operator audit',
        'GET',
        '/api/v1/operator/audit',
        undefined,
        { operator: 200, admin: 403, developer: 403, otherAdmin: 403, anonymous: 401 },
      ],
      [
        'org',
        'GET',
        `/api/v1/orgs/${orgId}`,
        undefined,
        { operator: 200, admin: 200, developer: 200, otherAdmin: 404, anonymous: 401 },
      ],
      [
        'members',
        'GET',
        `/api/v1/orgs/${orgId}/members`,
        undefined,
        { operator: 200, admin: 200, developer: 403, otherAdmin: 404, anonymous: 401 },
      ],
      [
        'invitations',
        'GET',
        `/api/v1/orgs/${orgId}/invitations`,
        undefined,
        { operator: 200, admin: 200, developer: 403, otherAdmin: 404, anonymous: 401 },
      ],
      [
        'audit',
        'GET',
        `/api/v1/orgs/${orgId}/audit`,
        undefined,
        { operator: 200, admin: 200, developer: 403, otherAdmin: 404, anonymous: 401 },
      ],
      [
        'projects',
        'GET',
        `/api/v1/orgs/${orgId}/projects`,
        undefined,
        { operator: 200, admin: 200, developer: 200, otherAdmin: 404, anonymous: 401 },
      ],
      [
        'credentials',
        'GET',
        `/api/v1/orgs/${orgId}/credentials`,
        undefined,
        { operator: 200, admin: 200, developer: 200, otherAdmin: 404, anonymous: 401 },
      ],
    ];
    for (const [name, method, url, body, expected] of table) {
      for (const [who, session] of Object.entries(callers)) {
        const r = await t.request(session, method, url, body);
        assert.equal(r.statusCode, expected[who], `${name} as ${who}: ${r.body}`);
      }
    }
  });
});

void describe('audit log', () => {
  it('records who, what, from where, with request id; filters are allow-listed; CSV neutralises formulas', async () => {
    const r = await t.request(admin, 'GET', `/api/v1/orgs/${orgId}/audit?action=project.created&limit=2`);
    assert.equal(r.statusCode, 200);
    const page = r.json<{
      items: Array<{ action: string; actorType: string; requestId: string; ip: string }>;
      nextCursor?: string;
    }>();
    assert.equal(page.items.length, 2);
    assert.ok(
      page.items.every(
        (e) => e.action === 'project.created' && e.actorType === 'user' && e.requestId && e.ip,
      ),
    );
    assert.ok(page.nextCursor);
    const sqlish = await t.request(
      admin,
      'GET',
      `/api/v1/orgs/${orgId}/audit?action=${encodeURIComponent("x' OR '1'='1")}`,
    );
    assert.deepEqual(sqlish.json(), { items: [] });
    const sort = await t.request(
      admin,
      'GET',
      `/api/v1/orgs/${orgId}/audit?sort=${encodeURIComponent('id; drop table users')}`,
    );
    assert.deepEqual(
      [sort.statusCode, sort.json<{ details: unknown }>().details],
      [400, [{ field: 'querystring.sort', message: 'is not allowed' }]],
    );
    assert.equal((await t.request(admin, 'GET', `/api/v1/orgs/${orgId}/audit?cursor=bogus`)).statusCode, 400);
    await t.request(admin, 'POST', `/api/v1/orgs/${orgId}/projects`, { name: '=HYPERLINK("http://x")' });
    const csv = await t.request(
      admin,
      'GET',
      `/api/v1/orgs/${orgId}/audit?format=csv&action=project.created`,
    );
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(csv.body.startsWith('id,createdAt,orgId,'));
    assert.ok(csv.body.includes('""name"":""=HYPERLINK('), 'names inside details stay verbatim, quoted');
    const cells = csv.body.split(/\r\n/).flatMap((line) => line.split('","'));
    assert.ok(
      cells.every((cell) => !/^"?[=+\-@]/.test(cell)),
      'no cell starts a formula',
    );
  });
});
