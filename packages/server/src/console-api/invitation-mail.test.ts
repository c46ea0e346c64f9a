import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InvitationMessage } from '@pims/core';
import { PASSWORD, createTestConsole, tokenOf, type TestConsole } from './test-support.js';

let failing: TestConsole;
let sent: InvitationMessage[];
let t: TestConsole;
before(async () => {
  sent = [];
  failing = await createTestConsole({
    mailer: {
      deliver: () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:25'), { code: 'ESOCKET' })),
    },
  });
  t = await createTestConsole({
    mailer: {
      deliver: (message) => {
        sent.push(message);
        return Promise.resolve(true);
      },
    },
  });
});
after(async () => {
  await failing.close();
  await t.close();
});

void describe('invitation e-mail through the API', () => {
  it('a mail server that accepts: emailSent true, the link mailed to the invitee', async () => {
    const ops = await t.operator();
    const created = await t.request(ops, 'POST', '/api/v1/operator/orgs', {
      name: 'Mailed',
      admins: ['a@mailed.example'],
    });
    assert.equal(created.statusCode, 201);
    const [issued] = created.json<{ invitations: Array<{ link: string; emailSent: boolean }> }>().invitations;
    assert.equal(issued?.emailSent, true);
    assert.deepEqual(
      sent.map((m) => [m.email, m.orgName, m.role, m.link]),
      [['a@mailed.example', 'Mailed', 'admin', issued?.link]],
    );
    assert.deepEqual(t.links, [], 'a mailed link is not logged');
  });

  it('a send failure: 201, the invitation stands, link returned, emailSent false, nothing of the error in the body', async () => {
    const ops = await failing.operator();
    const { orgId, admin } = await failing.org(ops, 'admin@failing.example');
    const invited = await failing.request(admin, 'POST', `/api/v1/orgs/${orgId}/invitations`, {
      email: 'dev@failing.example',
      role: 'developer',
    });
    assert.equal(invited.statusCode, 201);
    const body = invited.json<{ invitation: { id: string }; link: string; emailSent: boolean }>();
    assert.equal(body.emailSent, false);
    assert.ok(!/ECONNREFUSED|ESOCKET|10\.0\.0\.9/.test(invited.body));
    const listed = await failing.request(admin, 'GET', `/api/v1/orgs/${orgId}/invitations`);
    assert.ok(listed.json<{ items: Array<{ id: string }> }>().items.some((i) => i.id === body.invitation.id));
    const accepted = await failing.request(undefined, 'POST', '/api/v1/invitations/accept', {
      token: tokenOf(body.link),
      password: PASSWORD,
    });
    assert.equal(accepted.statusCode, 200);
  });
});
