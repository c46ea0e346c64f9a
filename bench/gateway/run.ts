/**
 * `npm run bench:gateway` (issue #4 point 10, DESIGN §4), side by side in one run at 50 connections: Fastify hello
 * world; Fastify + jose RS256 verify on every request (never-seen tokens, like the gateway's second case); our gateway's authenticated `GET /v3/customers` (in-process
 * sample upstream) with one repeated token and with a new token on every request; the gateway's open `/ping`. The
 * gateway reads its JWKS and revocation feed from the gateway test kit's IMS stand-in (in this process); the tokens
 * are minted before the load, shaped as the IMS mints them.
 */
import { accessTokenClaims, createTestSigningKey, startFakeIms } from '@pims/gateway/testing';
import { fileURLToPath } from 'node:url';
import { finishBench, startBenchChild } from '../lib/bench.js';
import type { RunningChild } from '../lib/child.js';
import { machineInfo } from '../lib/machine.js';
import { expect, measureInterleaved, type CaseSpec } from '../lib/measure.js';
import { PoolDir, RUN_ID, signJwts } from '../lib/pool.js';
import type { CaseRow, TargetRow } from '../lib/report.js';
import { benchSettings } from '../lib/settings.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const settings = benchSettings();
const machine = machineInfo();
const pools = new PoolDir();

const CLIENT_ID = 'bench-gateway-client';
const ORG_ID = 'BENCH0000000000000000001@AdobeOrg';
const CUSTOMERS = '/v3/customers';

async function check(name: string, url: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  expect(response.status === 200, `${name}: HTTP ${response.status} ${text.slice(0, 300)}`);
  console.log(`  ${name}: sample response 200 ${text.slice(0, 60)}`);
}

async function main(): Promise<void> {
  console.log(
    `bench:gateway — ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per case, load ${machine.loadAtStart}`,
  );
  const key = createTestSigningKey('bench-key-1');
  const ims = await startFakeIms([key]);
  const publicPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const header = { kid: key.kid, x5u: `${key.kid}.cer`, itt: 'at' };
  let n = 0;
  const claims = () =>
    accessTokenClaims({
      issuer: ims.url,
      clientId: CLIENT_ID,
      orgId: ORG_ID,
      iat: Math.floor(Date.now() / 1000),
      jti: `gw-${RUN_ID}-${++n}`,
    });
  const [repeated = ''] = await signJwts(1, key.privateKey, header, claims);
  const auth = { authorization: `Bearer ${repeated}`, 'x-api-key': CLIENT_ID };
  const rows: CaseRow[] = [];
  // Every server runs from the start (an idle one costs nothing), so the rounds of the cases can be interleaved.
  const children: Array<RunningChild<unknown>> = [];
  const start = async (
    script: string,
    profileName: string,
    env: Record<string, string>,
    samplePath: string,
    sample: Record<string, string>,
  ): Promise<RunningChild<unknown>> => {
    const child = await startBenchChild<unknown>(here(script), settings, { profileName, env });
    children.push(child);
    await check(profileName, `${child.url}${samplePath}`, sample);
    return child;
  };
  const newTokens = (guessRate: number): CaseSpec['pool'] => ({
    as: 'bearer',
    make: (count) => signJwts(count, key.privateKey, header, claims),
    guessRate,
  });
  try {
    const helloServer = await start('./hello-server.ts', 'gateway-hello', {}, '/', {});
    const verifyServer = await start(
      './verify-server.ts',
      'gateway-verify',
      { PIMS_BENCH_TOKEN_KEY: publicPem, PIMS_BENCH_ISSUER: ims.url },
      CUSTOMERS,
      auth,
    );
    const gatewayEnv = { PIMS_BENCH_IMS_URL: ims.url };
    const repeatedServer = await start(
      './gateway-server.ts',
      'gateway-repeated',
      gatewayEnv,
      CUSTOMERS,
      auth,
    );
    const newServer = await start('./gateway-server.ts', 'gateway-new', gatewayEnv, CUSTOMERS, auth);
    const pingServer = await start('./gateway-server.ts', 'gateway-ping', gatewayEnv, '/ping', {});

    const specs: CaseSpec[] = [
      {
        name: 'hello',
        serverPid: helloServer.pid,
        request: { url: helloServer.url, method: 'GET', path: '/' },
      },
      // The same stream of never-seen tokens as the gateway's "new tokens" case: equal requests, equal work for the
      // load generator, so the two differ only in what the servers do.
      {
        name: 'verify',
        serverPid: verifyServer.pid,
        request: {
          url: verifyServer.url,
          method: 'GET',
          path: CUSTOMERS,
          headers: { 'x-api-key': CLIENT_ID },
        },
        pool: newTokens(12_000),
      },
      {
        name: 'gateway, repeated token',
        serverPid: repeatedServer.pid,
        request: { url: repeatedServer.url, method: 'GET', path: CUSTOMERS, headers: auth },
      },
      {
        name: 'gateway, new tokens',
        serverPid: newServer.pid,
        request: { url: newServer.url, method: 'GET', path: CUSTOMERS, headers: { 'x-api-key': CLIENT_ID } },
        pool: newTokens(12_000),
      },
      {
        name: 'gateway /ping',
        serverPid: pingServer.pid,
        request: { url: pingServer.url, method: 'GET', path: '/ping' },
      },
    ];
    const [hello, verify, cached, fresh, ping] = await measureInterleaved(specs, settings, pools);
    if (!hello || !verify || !cached || !fresh || !ping) throw new Error('a case was not measured');
    rows.push(
      { name: 'Fastify hello world', result: hello },
      { name: 'Fastify + jose RS256 verify per request', result: verify },
      { name: 'gateway `GET /v3/customers`, repeated token', result: cached },
      { name: 'gateway `GET /v3/customers`, a new token every request', result: fresh },
      { name: 'gateway `GET /ping` (open path)', result: ping },
    );

    const targets: TargetRow[] = [
      {
        name: 'repeated token ÷ hello',
        measured: cached.reqPerSec / hello.reqPerSec,
        op: '>=',
        bound: 0.6,
        unit: 'x',
      },
      {
        name: 'new tokens ÷ verify per request',
        measured: fresh.reqPerSec / verify.reqPerSec,
        op: '>=',
        bound: 0.9,
        unit: 'x',
      },
      { name: 'p99, repeated token', measured: cached.p99, op: '<=', bound: 10, unit: 'ms' },
      { name: 'p99, new tokens', measured: fresh.p99, op: '<=', bound: 10, unit: 'ms' },
    ];
    finishBench(
      {
        name: 'gateway',
        title: 'Gateway (`npm run bench:gateway`)',
        intro: [
          'The gateway (`startGateway`, in-process sample upstream, per-client rate limit off since one client sends',
          'everything) reads its JWKS and revocation feed from the IMS stand-in of `@pims/gateway/testing`; every other',
          'check runs as in production (expiry, revocation, `X-Api-Key`, metascope on every request). Tokens are RS256,',
          'shaped as the IMS mints them, signed before the load; "new tokens" sends each token once (a pool as large as',
          'the run), so every request is a first sight. The baseline verifies with jose on every request, no cache, and',
          'gets the same kind of stream of never-seen tokens.',
        ],
        rows,
        targets,
        profiles: [
          { name: 'gateway-repeated', label: 'the gateway, repeated token', result: cached },
          { name: 'gateway-new', label: 'the gateway, new tokens', result: fresh },
        ],
      },
      settings,
      machine,
    );
  } finally {
    for (const child of children) await child.stop();
    pools.dispose();
    await ims.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
