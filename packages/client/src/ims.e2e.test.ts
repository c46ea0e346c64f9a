/**
 * The SDK end to end against our real IMS (`startImsHarness`: the server on 127.0.0.1, port 0, SQLite, the demo org
 * and credential) and the real Partner API gateway in front of it: tokens of both kinds, IMS errors with their codes,
 * refresh of an expiring token, the 401-4116 retry-once after a revocation, and single-flight on a cold cache.
 * Exchanges are counted with a fetch wrapper that sees every request the SDK makes.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- an end-to-end test of the SDK through the real gateway; the SDK itself imports none of it
import { startGateway, type RunningGateway } from '@pims/gateway';
import { startImsHarness, type ImsHarness } from '@pims/testkit';
import { systemClock, type Clock } from './clock.js';
import type { Credentials } from './credentials/types.js';
import { ImsError } from './errors.js';
import type { FetchLike } from './ims-request.js';
import { createPartnerClient, type PartnerClientOptions } from './partner-client.js';
import { TokenManager } from './token-manager.js';

interface Counted {
  fetch: FetchLike;
  /** Paths of the requests made to the IMS, in order. */
  ims: string[];
  /** Status of each Partner API answer, in order. */
  api: number[];
}

function counting(imsUrl: string): Counted {
  const counted: Counted = {
    ims: [],
    api: [],
    fetch: async (input, init) => {
      const url = String(input);
      if (url.startsWith(imsUrl)) counted.ims.push(new URL(url).pathname);
      const response = await fetch(input, init);
      if (!url.startsWith(imsUrl)) counted.api.push(response.status);
      return response;
    },
  };
  return counted;
}

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('SDK against the real IMS and gateway', () => {
  let ims: ImsHarness;
  let gateway: RunningGateway;
  let jwt: Credentials;
  let oauth: Credentials;

  before(async () => {
    ims = await startImsHarness();
    gateway = await startGateway({ imsUrl: ims.url, dataDir: ims.dataDir, revocationPollMs: 100 });
    const c = ims.credentials;
    jwt = {
      type: 'jwt',
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      orgId: c.orgId,
      technicalAccountId: c.technicalAccountId,
      privateKey: ims.privateKeyPem,
      metaScopes: c.metaScopes,
    };
    oauth = {
      type: 'oauth_server_to_server',
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      orgId: c.orgId,
      scopes: c.scopes,
    };
  });
  after(async () => {
    await gateway?.close();
    await ims?.stop();
  });

  const options = (
    credentials: Credentials,
    extra: Partial<PartnerClientOptions> = {},
  ): PartnerClientOptions => ({
    environment: { imsUrl: ims.url, apiUrl: gateway.url },
    credentials,
    retry: { retries: 0 },
    ...extra,
  });

  test('a JWT credential gets an access token from /ims/exchange/jwt, and the gateway accepts it', async () => {
    const counted = counting(ims.url);
    const client = createPartnerClient(options(jwt, { fetch: counted.fetch }));
    const token = await client.getAccessToken();
    const claims = claimsOf(token);
    assert.equal(claims.type, 'access_token');
    assert.equal(claims.client_id, ims.credentials.clientId);
    assert.equal(claims.org, ims.credentials.orgId);
    assert.equal(claims.iss, ims.url);
    assert.deepEqual(counted.ims, ['/ims/exchange/jwt']);
    const ping = await client.ping({ authenticated: true });
    assert.equal(ping.body, 'pong');
    const created = await client.request<{ id: string; name: string }>('/v3/customers', {
      method: 'POST',
      json: { name: 'JWT Co' },
    });
    assert.equal(created.name, 'JWT Co');
  });

  test('an OAuth server-to-server credential gets an access token from /ims/token/v3, and the gateway accepts it', async () => {
    const counted = counting(ims.url);
    const client = createPartnerClient(options(oauth, { fetch: counted.fetch }));
    const token = await client.getAccessToken();
    const claims = claimsOf(token);
    assert.equal(claims.client_id, ims.credentials.clientId);
    assert.equal(claims.user_id, ims.credentials.technicalAccountId);
    assert.deepEqual(counted.ims, ['/ims/token/v3']);
    const list = await client.request<{ customers: unknown[] }>('/v3/customers');
    assert.ok(Array.isArray(list.customers));
  });

  test('a wrong client secret surfaces as ims_rejected, status 401, error invalid_client (JWT and OAuth)', async () => {
    for (const credentials of [jwt, oauth]) {
      const tokens = new TokenManager(options({ ...credentials, clientSecret: 'p8e-not-the-secret-at-all' }));
      const error = await tokens.getAccessToken().then(
        () => assert.fail('a wrong secret must not get a token'),
        (err: unknown) => err,
      );
      assert.ok(error instanceof ImsError, String(error));
      assert.equal(error.code, 'ims_rejected');
      assert.equal(error.status, 401);
      assert.equal(error.error, 'invalid_client');
      assert.doesNotMatch(error.message, /not-the-secret/, 'the secret never reaches the message');
    }
  });

  test('a scope the credential does not have surfaces as ims_rejected, error invalid_scope', async () => {
    const cases: Credentials[] = [
      { ...oauth, type: 'oauth_server_to_server', scopes: ['not_a_bound_scope'] },
      { ...(jwt as Extract<Credentials, { type: 'jwt' }>), metaScopes: ['not_a_bound_metascope'] },
    ];
    for (const credentials of cases) {
      const error = await new TokenManager(options(credentials)).getAccessToken().then(
        () => assert.fail('an unbound scope must not get a token'),
        (err: unknown) => err,
      );
      assert.ok(error instanceof ImsError, String(error));
      assert.equal(error.code, 'ims_rejected');
      assert.equal(error.status, 400);
      assert.equal(error.error, 'invalid_scope');
    }
  });

  test('an unknown client surfaces as ims_rejected, status 400, error invalid_client', async () => {
    const error = await new TokenManager(options({ ...oauth, clientId: 'no-such-client-0000' }))
      .getAccessToken()
      .then(
        () => assert.fail('an unknown client must not get a token'),
        (err: unknown) => err,
      );
    assert.ok(error instanceof ImsError);
    assert.equal(error.status, 400);
    assert.equal(error.error, 'invalid_client');
  });

  test('an OAuth token that expires mid-run is replaced by a new one from the IMS (fake clock)', async () => {
    const offset = { ms: 0 };
    const clock: Clock = {
      now: () => Date.now() + offset.ms,
      sleep: (ms, signal) => systemClock.sleep(ms, signal),
    };
    const counted = counting(ims.url);
    const client = createPartnerClient(options(oauth, { fetch: counted.fetch, clock }));
    const first = await client.tokens.getToken();
    assert.equal(await client.getAccessToken(), first.accessToken, 'cached while fresh');
    assert.equal(counted.ims.length, 1);
    offset.ms = first.expiresAt - Date.now() + 1_000; // one second past its expiry
    const second = await client.tokens.getToken();
    assert.notEqual(second.accessToken, first.accessToken);
    assert.ok(second.expiresAt > first.expiresAt);
    assert.equal(counted.ims.length, 2, 'exactly one new exchange');
    offset.ms = 0;
    assert.equal(
      (await client.ping({ authenticated: true })).body,
      'pong',
      'the gateway accepts the new token',
    );
  });

  test('a JWT token inside its refresh margin is refreshed before it expires (real time)', async () => {
    const counted = counting(ims.url);
    // Issued tokens live 24 h: a margin of 24 h minus 300 ms makes this one due for refresh 300 ms after it arrives.
    const tokens = new TokenManager(
      options(jwt, { fetch: counted.fetch, refreshMarginMs: 86_400_000 - 300 }),
    );
    const first = await tokens.getAccessToken();
    assert.equal(await tokens.getAccessToken(), first);
    await sleep(600);
    const second = await tokens.getAccessToken();
    assert.notEqual(second, first);
    assert.deepEqual(counted.ims, ['/ims/exchange/jwt', '/ims/exchange/jwt']);
  });

  test('a token revoked at the IMS: the gateway answers 401 4116, the SDK gets a new token and retries once', async () => {
    const counted = counting(ims.url);
    const client = createPartnerClient(options(oauth, { fetch: counted.fetch }));
    const revoked = await client.getAccessToken();
    assert.equal((await client.fetch('/v3/customers')).status, 200);

    const invalidate = await fetch(`${ims.url}/ims/invalidate_token/v2`, {
      method: 'POST',
      headers: { authorization: `Bearer ${revoked}` },
      body: new URLSearchParams({
        client_id: ims.credentials.clientId,
        client_secret: ims.credentials.clientSecret,
      }),
    });
    assert.equal(invalidate.status, 200, await invalidate.clone().text());
    // Wait for the gateway's revocation poll (100 ms here) to learn it, probing with the raw token.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const probe = await fetch(`${gateway.url}/v3/customers`, {
        headers: { authorization: `Bearer ${revoked}`, 'x-api-key': ims.credentials.clientId },
      });
      if (probe.status === 401) {
        assert.deepEqual(((await probe.json()) as { code: string }).code, '4116');
        break;
      }
      assert.ok(Date.now() < deadline, 'the gateway learnt the revocation within 5 s');
      await sleep(50);
    }

    counted.api.length = 0;
    const response = await client.fetch('/v3/customers');
    assert.equal(response.status, 200);
    assert.deepEqual(counted.api, [401, 200], 'one rejected attempt, one retry');
    assert.deepEqual(counted.ims, ['/ims/token/v3', '/ims/token/v3'], 'exactly one new token');
    assert.notEqual(await client.getAccessToken(), revoked);
  });

  test('1,000 concurrent getAccessToken() on a cold cache make exactly one exchange at the IMS', async () => {
    for (const credentials of [jwt, oauth]) {
      const counted = counting(ims.url);
      const tokens = new TokenManager(options(credentials, { fetch: counted.fetch }));
      const results = await Promise.all(Array.from({ length: 1_000 }, () => tokens.getAccessToken()));
      assert.equal(new Set(results).size, 1, 'every caller got the same token');
      assert.equal(counted.ims.length, 1, `${credentials.type}: ${counted.ims.length} exchanges`);
    }
  });
});
