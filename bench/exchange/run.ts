/**
 * `npm run bench:exchange` (issue #3 point 9, DESIGN §4): the full JWT exchange of our IMS (`POST /ims/exchange/jwt`
 * on SQLite: storage, replay store, audit) side by side with a minimal Fastify + jose exchange endpoint and with
 * oidc-provider 8.8.1 (`client_credentials` + `private_key_jwt`, RS256 JWT access tokens). Every request carries a
 * fresh assertion (unique `jti`) from a pool signed before the load with the demo credential's private key.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finishBench, startBenchChild } from '../lib/bench.js';
import type { RunningChild } from '../lib/child.js';
import type { LoadResult } from '../lib/load.js';
import { machineInfo } from '../lib/machine.js';
import { expect, measureInterleaved, type CaseSpec } from '../lib/measure.js';
import { PoolDir, RUN_ID, signJwts } from '../lib/pool.js';
import type { TargetRow } from '../lib/report.js';
import { benchSettings } from '../lib/settings.js';
import type { ImsInfo } from './ims-server.js';
import type { OidcInfo } from './oidc-server.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const settings = benchSettings();
const machine = machineInfo();
const pools = new PoolDir();
const compareWith = compareCheckout(process.env.PIMS_BENCH_COMPARE_WITH);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const EXCHANGE_GUESS = 5000;

let jtiCounter = 0;
const nextJti = (tag: string) => `${tag}-${RUN_ID}-${++jtiCounter}`;
/** Assertions live long enough for the whole run; the replay stores keep each jti until then. */
const assertionExp = () =>
  Math.floor(Date.now() / 1000) + Math.max(900, 4 * (settings.seconds + settings.warmupSeconds) + 300);

/**
 * `PIMS_BENCH_COMPARE_WITH=<dir>`: another checkout of pims, installed and built (`npm ci && npx tsc -b`), whose IMS is
 * measured as one more case in the same interleaved rounds — the way to tell a change from the box's drift.
 */
function compareCheckout(dir: string | undefined): { script: string; label: string } | undefined {
  if (dir === undefined || dir.trim() === '') return undefined;
  const script = resolve(dir, 'bench/exchange/ims-server.ts');
  if (!existsSync(script) || !existsSync(resolve(dir, 'packages/server/dist/index.js'))) {
    throw new Error(
      `PIMS_BENCH_COMPARE_WITH=${dir}: not a built pims checkout (run npm ci && npx tsc -b there first)`,
    );
  }
  const commit = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return { script, label: commit.status === 0 ? `commit ${commit.stdout.trim()}` : dir };
}

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h = '', p = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
  };
}

async function checkTokenResponse(name: string, url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: FORM, body });
  const text = await response.text();
  expect(response.status === 200, `${name}: HTTP ${response.status} ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { access_token?: string };
  expect(typeof json.access_token === 'string', `${name}: no access_token in ${text.slice(0, 300)}`);
  const { header } = decodeJwt(json.access_token);
  expect(header.alg === 'RS256', `${name}: access token alg ${String(header.alg)}`);
  console.log(`  ${name}: sample response 200, RS256 access token (${json.access_token.length} chars)`);
}

async function main(): Promise<void> {
  console.log(
    `bench:exchange — ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per case, load ${machine.loadAtStart}`,
  );
  const rows: Array<{ name: string; result: LoadResult }> = [];
  let credentialKeyPem = '';
  // All three servers run from the start (an idle one costs nothing), so their rounds can be interleaved.
  const children: Array<RunningChild<unknown>> = [];
  const started = async <T>(child: Promise<RunningChild<T>>): Promise<RunningChild<T>> => {
    const running = await child;
    children.push(running);
    return running;
  };
  try {
    // 1. Our IMS, the full path (and, when asked, another build of it beside this one).
    const imsCase = (name: string, script: string) =>
      started(startBenchChild<ImsInfo>(script, settings, { profileName: `exchange-${name}` })).then(
        async ({ url, info, pid }) => {
          credentialKeyPem ||= info.privateKeyPem;
          const key = createPrivateKey(info.privateKeyPem);
          const claims = () => ({
            exp: assertionExp(),
            iss: info.orgId,
            sub: info.technicalAccountId,
            aud: `${url}/c/${info.clientId}`,
            ...Object.fromEntries(info.metaScopes.map((s) => [`${url}/s/${s}`, true])),
            jti: nextJti(name),
          });
          const make = async (count: number) =>
            (await signJwts(count, key, {}, claims)).map((jwt) =>
              new URLSearchParams({
                client_id: info.clientId,
                client_secret: info.clientSecret,
                jwt_token: jwt,
              }).toString(),
            );
          const [sample = ''] = await make(1);
          await checkTokenResponse(name, `${url}/ims/exchange/jwt`, sample);
          const spec: CaseSpec = {
            name,
            serverPid: pid,
            request: { url, method: 'POST', path: '/ims/exchange/jwt', headers: FORM },
            pool: { as: 'body', make, guessRate: EXCHANGE_GUESS },
          };
          return spec;
        },
      );

    const imsSpec = await imsCase('ims', here('./ims-server.ts'));
    const compareSpec = compareWith === undefined ? undefined : await imsCase('compare', compareWith.script);

    const assertionKey = createPrivateKey(credentialKeyPem);
    const publicPem = createPublicKey(assertionKey).export({ format: 'pem', type: 'spki' }).toString();

    // 2. The minimal Fastify + jose endpoint, same assertions shape and form.
    const minimalSpec = await started(
      startBenchChild(here('./minimal-server.ts'), settings, {
        profileName: 'exchange-minimal',
        env: { PIMS_BENCH_ASSERTION_KEY: publicPem },
      }),
    ).then(async ({ url, pid }): Promise<CaseSpec> => {
      const make = async (count: number) =>
        (
          await signJwts(count, assertionKey, {}, () => ({
            exp: assertionExp(),
            iss: 'bench-org@AdobeOrg',
            sub: 'bench@techacct.adobe.com',
            aud: `${url}/c/bench-client`,
            [`${url}/s/ent_partners_sdk`]: true,
            jti: nextJti('min'),
          }))
        ).map((jwt) =>
          new URLSearchParams({
            client_id: 'bench-client',
            client_secret: 'bench-secret',
            jwt_token: jwt,
          }).toString(),
        );
      const [sample = ''] = await make(1);
      await checkTokenResponse('minimal', `${url}/ims/exchange/jwt`, sample);
      return {
        name: 'minimal',
        serverPid: pid,
        request: { url, method: 'POST', path: '/ims/exchange/jwt', headers: FORM },
        pool: { as: 'body', make, guessRate: EXCHANGE_GUESS },
      };
    });

    // 3. oidc-provider 8.8.1.
    const oidcSpec = await started(
      startBenchChild<OidcInfo>(here('./oidc-server.ts'), settings, {
        profileName: 'exchange-oidc',
        env: { PIMS_BENCH_ASSERTION_KEY: publicPem },
      }),
    ).then(async ({ url, info, pid }): Promise<CaseSpec> => {
      const make = async (count: number) =>
        (
          await signJwts(count, assertionKey, {}, () => ({
            exp: assertionExp(),
            iss: info.clientId,
            sub: info.clientId,
            aud: info.tokenEndpoint,
            jti: nextJti('oidc'),
          }))
        ).map((jwt) =>
          new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: info.clientId,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: jwt,
            scope: info.scope,
            resource: info.resource,
          }).toString(),
        );
      const [sample = ''] = await make(1);
      await checkTokenResponse('oidc-provider', info.tokenEndpoint, sample);
      return {
        name: 'oidc-provider',
        serverPid: pid,
        request: { url, method: 'POST', path: new URL(info.tokenEndpoint).pathname, headers: FORM },
        pool: { as: 'body', make, guessRate: EXCHANGE_GUESS / 2 },
      };
    });

    const specs = [imsSpec, minimalSpec, oidcSpec, ...(compareSpec === undefined ? [] : [compareSpec])];
    const [ims, minimal, oidc, compared] = await measureInterleaved(specs, settings, pools);
    if (ims === undefined || minimal === undefined || oidc === undefined)
      throw new Error('a case was not measured');
    rows.push(
      { name: 'pims IMS `POST /ims/exchange/jwt` (SQLite, full path)', result: ims },
      { name: 'minimal Fastify + jose (verify RS256 + sign RS256)', result: minimal },
      { name: 'oidc-provider 8.8.1 (`client_credentials` + `private_key_jwt`, JWT AT)', result: oidc },
    );
    if (compared !== undefined && compareWith !== undefined) {
      rows.push({ name: `the same IMS at ${compareWith.label} (PIMS_BENCH_COMPARE_WITH)`, result: compared });
    }
    pools.dispose();

    const targets: TargetRow[] = [
      {
        name: 'IMS ÷ minimal endpoint',
        measured: ims.reqPerSec / minimal.reqPerSec,
        op: '>=',
        bound: 0.85,
        unit: 'x',
      },
      {
        name: 'IMS ÷ oidc-provider',
        measured: ims.reqPerSec / oidc.reqPerSec,
        op: '>=',
        bound: 1.5,
        unit: 'x',
      },
    ];
    finishBench(
      {
        name: 'exchange',
        title: 'Exchange (`npm run bench:exchange`)',
        intro: [
          'Each request carries a fresh RS256 assertion (unique `jti`), all signed before the load with the demo',
          "credential's key; the IMS rate limits are raised for the bench (`PIMS_RATE_LIMIT_CLIENT`,",
          '`PIMS_RATE_LIMIT_ADDRESS`). A sample response of each server is checked first (200 with an RS256 access token),',
          'and a valid run has no non-2xx response. The minimal endpoint parses the form, verifies the assertion with a',
          'known public key and signs an RS256 access token (Fastify 5 + jose 6); oidc-provider 8.8.1 does',
          '`client_credentials` with `private_key_jwt` and RS256 JWT access tokens (resource indicators).',
        ],
        rows,
        targets,
        profiles: [
          { name: 'exchange-ims', label: 'the IMS', result: ims },
          { name: 'exchange-minimal', label: 'the minimal endpoint', result: minimal },
        ],
      },
      settings,
      machine,
    );
  } finally {
    for (const child of children) await child.stop();
  }
}

main().catch((err: unknown) => {
  pools.dispose();
  console.error(err);
  process.exit(1);
});
