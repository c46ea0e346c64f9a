/**
 * R-1, storage down, end to end: the real server (`startImsHarness`) on a fresh PostgreSQL database reached through a
 * TCP proxy on 127.0.0.1 that the test cuts and restores. While storage is down the token endpoints answer 503
 * `server_error` within 2 s and issue nothing, readiness is 503 within 2 s and liveness stays 200; once the proxy is
 * back, readiness and tokens come back without a restart. Two kinds of outage: refused (open sockets destroyed, new
 * ones closed at once) and black-holed (sockets held open, nothing forwarded either way — the harder case, where only
 * the server's own timeouts end the wait).
 *
 * Runs when `PIMS_TEST_POSTGRES_URL` is set and fails (never skips) when that database can't be reached.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { MAX_CLIENT_CACHE_TTL_MS } from '@pims/core';
import { SignJWT, importPKCS8 } from 'jose';
import { startImsHarness, type ImsHarness } from './ims-harness.js';
import { createFreshPostgresDatabase, type FreshDatabase } from './postgres-database.js';

const BOUND_MS = 2_000;
type Mode = 'open' | 'refused' | 'black-holed';

/** A TCP proxy to one target that can refuse or black-hole traffic, and recover. */
class FaultyProxy {
  mode: Mode = 'open';
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  readonly #held = new Set<Socket>();
  readonly #server: Server;

  private constructor(target: { host: string; port: number }) {
    this.#server = createServer((client) => {
      client.on('error', () => undefined);
      if (this.mode === 'refused') {
        client.destroy();
        return;
      }
      if (this.mode === 'black-holed') {
        client.pause();
        this.#held.add(client);
        client.once('close', () => this.#held.delete(client));
        return;
      }
      const upstream = connect(target.port, target.host);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      const pair = { client, upstream };
      this.#pairs.add(pair);
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => client.write(chunk));
      const closeBoth = () => {
        this.#pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.once('close', closeBoth);
      upstream.once('close', closeBoth);
    });
  }

  static async start(target: { host: string; port: number }): Promise<{ proxy: FaultyProxy; port: number }> {
    const proxy = new FaultyProxy(target);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', resolve);
    });
    const address = proxy.#server.address();
    assert.ok(typeof address === 'object' && address !== null);
    return { proxy, port: address.port };
  }

  /** Open sockets destroyed, new ones closed as soon as they are accepted. */
  refuse(): void {
    this.mode = 'refused';
    for (const { client, upstream } of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  /** Open sockets kept but nothing read or forwarded (as a network partition); new ones accepted and never served. */
  blackHole(): void {
    this.mode = 'black-holed';
    for (const { client, upstream } of this.#pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Traffic flows again: held-open sockets resume (as after a partition heals), new ones are forwarded. */
  restore(): void {
    this.mode = 'open';
    for (const { client, upstream } of this.#pairs) {
      client.resume();
      upstream.resume();
    }
    for (const socket of this.#held) socket.destroy();
  }

  async close(): Promise<void> {
    this.refuse();
    for (const socket of this.#held) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

const postgresUrl = process.env.PIMS_TEST_POSTGRES_URL;

describe(
  'R-1: storage down through a cut TCP proxy (PostgreSQL)',
  {
    skip: postgresUrl ? false : 'PIMS_TEST_POSTGRES_URL is not set',
    timeout: 120_000,
  },
  () => {
    let database: FreshDatabase | undefined;
    let proxy: FaultyProxy | undefined;
    let ims: ImsHarness;

    before(async () => {
      // Unreachable PostgreSQL fails here (and so fails the suite) rather than skipping it.
      database = await createFreshPostgresDatabase(postgresUrl ?? '', 'outage');
      const target = new URL(database.url);
      const started = await FaultyProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      proxy = started.proxy;
      const viaProxy = new URL(database.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(started.port);
      ims = await startImsHarness({ env: { PIMS_DATABASE_URL: viaProxy.toString() } });
    });
    after(async () => {
      proxy?.restore();
      await ims?.stop();
      await proxy?.close();
      await database?.drop();
    });

    async function timed(
      path: string,
      init: RequestInit = {},
    ): Promise<{ status: number; body: string; ms: number }> {
      const started = performance.now();
      const response = await fetch(`${ims.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      return { status: response.status, body, ms: performance.now() - started };
    }

    const clientCredentials = () =>
      timed('/ims/token/v3', {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: ims.credentials.clientId,
          client_secret: ims.credentials.clientSecret,
          scope: ims.credentials.scopes.join(','),
        }),
      });

    async function jwtExchange() {
      const { credentials } = ims;
      const assertion = await new SignJWT({
        iss: credentials.orgId,
        sub: credentials.technicalAccountId,
        aud: `${ims.url}/c/${credentials.clientId}`,
        [`${ims.url}/s/ent_partners_sdk`]: true,
      })
        .setProtectedHeader({ alg: 'RS256' })
        .setJti(randomUUID())
        .setExpirationTime('5m')
        .sign(await importPKCS8(ims.privateKeyPem, 'RS256'));
      return timed('/ims/exchange/jwt', {
        method: 'POST',
        body: new URLSearchParams({
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          jwt_token: assertion,
        }),
      });
    }

    function assertIssued(result: { status: number; body: string }, label: string): void {
      assert.equal(result.status, 200, `${label}: ${result.body}`);
      assert.equal(typeof (JSON.parse(result.body) as { access_token?: unknown }).access_token, 'string');
    }

    function assertUnavailable(result: { status: number; body: string; ms: number }, label: string): void {
      assert.equal(result.status, 503, `${label}: ${result.status} ${result.body.slice(0, 80)}`);
      const body = JSON.parse(result.body) as Record<string, unknown>;
      assert.equal(body.error, 'server_error', label);
      assert.deepEqual(
        Object.keys(body).sort(),
        ['error', 'error_description'],
        `${label}: no token, nothing else`,
      );
      assert.ok(result.ms < BOUND_MS, `${label} answered in ${Math.round(result.ms)} ms`);
    }

    async function assertNotReadyButLive(label: string): Promise<void> {
      const ready = await timed('/health/ready');
      assert.equal(ready.status, 503, `${label}: /health/ready ${ready.body}`);
      assert.ok(ready.ms < BOUND_MS, `${label}: /health/ready answered in ${Math.round(ready.ms)} ms`);
      const live = await timed('/health/live');
      assert.equal(live.status, 200, `${label}: /health/live`);
    }

    async function assertDown(mode: string): Promise<void> {
      // At once, even with the client cached: the exchange needs storage for its replay check (EX-7), and both
      // endpoints store the token's audit row before answering (EX-9).
      assertUnavailable(await jwtExchange(), `${mode}, at once: /ims/exchange/jwt`);
      assertUnavailable(await clientCredentials(), `${mode}, at once: /ims/token/v3`);
      await assertNotReadyButLive(`${mode}, at once`);
      // And after the client cache has expired (MAX_CLIENT_CACHE_TTL_MS), when the client lookup needs storage too.
      await sleep(MAX_CLIENT_CACHE_TTL_MS + 100);
      // Several rounds: the first request may meet a pooled connection, later ones a fresh connection attempt.
      for (let round = 1; round <= 3; round++) {
        const label = `${mode}, round ${round}`;
        assertUnavailable(await clientCredentials(), `${label}: /ims/token/v3`);
        assertUnavailable(await jwtExchange(), `${label}: /ims/exchange/jwt`);
        await assertNotReadyButLive(label);
      }
    }

    async function assertRecovers(mode: string): Promise<void> {
      const deadline = Date.now() + 15_000;
      let ready = await timed('/health/ready');
      while (ready.status !== 200 && Date.now() < deadline) {
        await sleep(100);
        ready = await timed('/health/ready');
      }
      assert.equal(ready.status, 200, `${mode}: readiness came back without a restart`);
      assertIssued(await clientCredentials(), `${mode}, restored: /ims/token/v3`);
      assertIssued(await jwtExchange(), `${mode}, restored: /ims/exchange/jwt`);
    }

    test('before the outage: tokens are issued and the server is ready', async () => {
      assertIssued(await clientCredentials(), '/ims/token/v3');
      assertIssued(await jwtExchange(), '/ims/exchange/jwt');
      assert.equal((await timed('/health/ready')).status, 200);
    });

    test('refused connections: 503 within 2 s, no token; recovery without a restart', async () => {
      proxy?.refuse();
      try {
        await assertDown('refused');
      } finally {
        proxy?.restore();
      }
      await assertRecovers('refused');
    });

    test('black-holed connections: 503 within 2 s, no token; recovery without a restart', async () => {
      proxy?.blackHole();
      try {
        await assertDown('black-holed');
      } finally {
        proxy?.restore();
      }
      await assertRecovers('black-holed');
    });

    test('client credentials for a client cached just before the outage get no token either (EX-9: no unaudited token)', async () => {
      assertIssued(await clientCredentials(), 'warm the client cache');
      proxy?.refuse();
      try {
        assertUnavailable(await clientCredentials(), 'cached client, storage refused: /ims/token/v3');
      } finally {
        proxy?.restore();
      }
      await assertRecovers('cached client');
    });
  },
);
