import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPimsError } from '@pims/contracts';
import { createImsServices, type ImsServices } from '../ims-services.js';
import type { ReplayStore } from '../replay/replay-store.js';
import {
  createImsFixture,
  verifySecret,
  type ImsFixture,
  type SeededClient,
} from '../test-support/ims-fixture.js';

let fx: ImsFixture;
let services: ImsServices;
let client: SeededClient;
const context = { ip: '192.0.2.1', requestId: 'req-1' };

before(async () => {
  fx = await createImsFixture();
  services = createImsServices({ ...fx, stores: fx.storage, verifySecret, clock: fx.clock });
  client = await fx.seedClient();
});
after(async () => {
  await services.close();
  await fx.close();
});

const input = (assertion: string) => ({
  clientId: client.credential.clientId,
  clientSecret: client.clientSecret,
  assertion,
});

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => isPimsError(err) && err.code === code);
}

void test('a valid assertion gets an access token for the credential, org and bound scopes', async () => {
  const result = await services.exchangeJwt(input(await fx.assertion(client, { jti: 'a-1' })), context);
  assert.equal(result.claims.client_id, client.credential.clientId);
  assert.equal(result.claims.org, client.credential.orgId);
  assert.equal(result.claims.user_id, client.credential.technicalAccountId);
  assert.equal(result.claims.scope, 'openid,AdobeID,ent_partners_sdk');
  assert.equal(result.expiresInMs, 24 * 3600 * 1000);
});

void test('the JWT and OAuth routes issue equivalent tokens for one credential', async () => {
  const jwt = await services.exchangeJwt(input(await fx.assertion(client, { jti: 'eq-1' })), context);
  const oauth = await services.clientCredentials(
    { clientId: client.credential.clientId, clientSecret: client.clientSecret },
    context,
  );
  for (const claim of ['client_id', 'user_id', 'org', 'scope', 'type', 'as'] as const) {
    assert.equal(oauth.claims[claim], jwt.claims[claim], claim);
  }
  assert.equal(oauth.expiresInSeconds, 24 * 3600);
});

void test('50 concurrent copies of one assertion with a jti: exactly one token', async () => {
  const assertion = await fx.assertion(client, { jti: 'concurrent-1' });
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, () => services.exchangeJwt(input(assertion), context)),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) {
    if (r.status === 'rejected') assert.ok(isPimsError(r.reason) && r.reason.code === 'ims.token_replayed');
  }
});

void test('without a jti, the same assertion gets the same access token back, also concurrently', async () => {
  const assertion = await fx.assertion(client);
  const first = await services.exchangeJwt(input(assertion), context);
  const again = await Promise.all(
    Array.from({ length: 20 }, () => services.exchangeJwt(input(assertion), context)),
  );
  for (const r of again) assert.equal(r.accessToken, first.accessToken);
  const fresh = await fx.assertion(client, { exp: Math.floor(fx.clock.now() / 1000) + 301 });
  const concurrent = await Promise.all(
    Array.from({ length: 20 }, () => services.exchangeJwt(input(fresh), context)),
  );
  assert.equal(new Set(concurrent.map((r) => r.accessToken)).size, 1);
});

void test('a failing replay store answers 503 ims.server_error and issues nothing', async () => {
  const failing: ReplayStore = {
    claim: () => Promise.reject(new Error('down')),
    find: () => Promise.reject(new Error('down')),
  };
  let issued = 0;
  const issuer = {
    issue: (i: Parameters<typeof fx.issuer.issue>[0]) => {
      issued += 1;
      return fx.issuer.issue(i);
    },
    reissue: (claims: Parameters<typeof fx.issuer.reissue>[0]) => fx.issuer.reissue(claims),
  };
  const broken = createImsServices({
    ...fx,
    issuer,
    stores: fx.storage,
    verifySecret,
    clock: fx.clock,
    replay: failing,
  });
  await rejectsWith(
    broken.exchangeJwt(input(await fx.assertion(client, { jti: 'f-1' })), context),
    'ims.server_error',
  );
  await rejectsWith(broken.exchangeJwt(input(await fx.assertion(client)), context), 'ims.server_error');
  assert.equal(issued, 0);
  await broken.close();
});

void test('every success and failure is one audit event without secrets or tokens', async () => {
  const ok = await services.exchangeJwt(input(await fx.assertion(client, { jti: 'audit-1' })), context);
  await rejectsWith(
    services.exchangeJwt(
      { ...input(await fx.assertion(client)), clientSecret: 'wrong' },
      { ...context, requestId: 'req-bad' },
    ),
    'ims.invalid_client_secret',
  );
  await services.audit.flush();
  const events = (await fx.storage.auditEvents.listAuditEvents(client.credential.orgId, { limit: 500 }))
    .items;
  const issued = events.find((e) => e.targetId === ok.claims.jti);
  assert.equal(issued?.action, 'token.issued');
  assert.equal(issued?.ip, context.ip);
  const rejected = events.find((e) => e.requestId === 'req-bad');
  assert.equal(rejected?.action, 'token.rejected');
  assert.deepEqual(rejected?.details, { grant: 'jwt_bearer', error: 'ims.invalid_client_secret' });
  const text = JSON.stringify(events);
  assert.ok(!text.includes(client.clientSecret) && !text.includes(ok.accessToken));
});
