/**
 * `npm run bench:client`: the SDK side by side with `@adobe/jwt-auth` 2 in one run (DESIGN §4).
 *
 * 1. Assertion creation. jwt-auth signs its assertion with `jsonwebtoken.sign(payload, { key: pem, passphrase: '' },
 *    { algorithm: 'RS256' })` on every call; we make that very call (the `jsonwebtoken` jwt-auth itself resolves), with
 *    the same claims and key, against the SDK's `createAssertion` with the key parsed once. Sequential, and with
 *    several calls in flight. Target: ≥ 3×.
 * 2. Cached `getAccessToken()` calls per second (a token in the cache; no network).
 * 3. Single flight: 1,000 concurrent `getAccessToken()` on a cold cache → how many exchanges (target: exactly 1).
 *
 * Prints a table and rewrites the Client section of docs/benchmarks.md (between its markers). Not a test: nothing
 * here fails on timings.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  TokenManager,
  createAssertion,
  parsePrivateKey,
  type FetchLike,
  type JwtCredentials,
} from '@pims/client';
import { machine, writeSection, type Row } from './report.js';

interface JsonWebToken {
  sign(payload: object, key: { key: string; passphrase: string }, options: { algorithm: 'RS256' }): string;
}

// The jsonwebtoken that @adobe/jwt-auth itself loads (its own dependency, resolved from its directory).
const fromJwtAuth = createRequire(createRequire(import.meta.url).resolve('@adobe/jwt-auth'));
const jwt = fromJwtAuth('jsonwebtoken') as JsonWebToken;
const jwtAuthVersion = (fromJwtAuth('./package.json') as { version: string }).version;
const jsonwebtokenVersion = (fromJwtAuth('jsonwebtoken/package.json') as { version: string }).version;

const IMS = 'https://ims-na1.adobelogin.com';
const CLIENT_ID = '0123456789abcdef0123456789abcdef';
const ORG_ID = '12AB34CD56EF7890ABCDEF12@AdobeOrg';
const TECHNICAL_ACCOUNT_ID = '34CD56EF7890ABCDEF123456@techacct.adobe.com';
const METASCOPES = ['ent_partners_sdk'];
const { privateKey: pem } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { format: 'pem', type: 'pkcs8' },
  publicKeyEncoding: { format: 'pem', type: 'spki' },
});
const keyObject = parsePrivateKey(pem, { source: 'bench key' });

/** Exactly what @adobe/jwt-auth 2 does for each token (index.js, `authorize`). */
function jwtAuthAssertion(): string {
  const payload: Record<string, unknown> = {
    exp: Math.round(300 + Date.now() / 1000),
    iss: ORG_ID,
    sub: TECHNICAL_ACCOUNT_ID,
    aud: `${IMS}/c/${CLIENT_ID}`,
  };
  for (const scope of METASCOPES) payload[`${IMS}/s/${scope}`] = true;
  return jwt.sign(payload, { key: pem, passphrase: '' }, { algorithm: 'RS256' });
}

const pimsAssertion = () =>
  createAssertion({
    imsUrl: IMS,
    clientId: CLIENT_ID,
    orgId: ORG_ID,
    technicalAccountId: TECHNICAL_ACCOUNT_ID,
    privateKey: keyObject,
    metaScopes: METASCOPES,
  });

/** Operations per second of `op`, `total` calls with `inFlight` at a time, after a warm-up. */
async function opsPerSecond(op: () => unknown, total: number, inFlight: number): Promise<number> {
  const run = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next += 1;
        await op();
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };
  await run(Math.min(200, total));
  const started = process.hrtime.bigint();
  await run(total);
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

const credentials: JwtCredentials = {
  type: 'jwt',
  clientId: CLIENT_ID,
  clientSecret: 'p8e-bench-secret-not-real-0000',
  orgId: ORG_ID,
  technicalAccountId: TECHNICAL_ACCOUNT_ID,
  privateKey: keyObject,
  metaScopes: METASCOPES,
};

/** An IMS stand-in answering every exchange after `delayMs`, counting the exchanges. */
function countingIms(delayMs: number): { fetch: FetchLike; exchanges: () => number } {
  let exchanges = 0;
  return {
    exchanges: () => exchanges,
    fetch: async () => {
      exchanges += 1;
      await sleep(delayMs);
      const body = { token_type: 'bearer', access_token: `token-${exchanges}`, expires_in: 86_399_996 };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
}

async function cachedCallsPerSecond(): Promise<number> {
  const ims = countingIms(0);
  const tokens = new TokenManager({ environment: 'production', credentials, fetch: ims.fetch });
  await tokens.getAccessToken();
  return opsPerSecond(() => tokens.getAccessToken(), 500_000, 1);
}

async function singleFlight(callers: number): Promise<number> {
  const ims = countingIms(20);
  const tokens = new TokenManager({ environment: 'production', credentials, fetch: ims.fetch });
  await Promise.all(Array.from({ length: callers }, () => tokens.getAccessToken()));
  return ims.exchanges();
}

const ASSERTIONS = Number(process.env.BENCH_CLIENT_ASSERTIONS ?? 3_000);
const IN_FLIGHT = Number(process.env.BENCH_CLIENT_IN_FLIGHT ?? 16);

async function main(): Promise<void> {
  const info = machine();
  process.stderr.write(`client bench on ${info.cpuModel} × ${info.cores}, Node ${info.node}\n`);
  const rows: Row[] = [];
  for (const [mode, inFlight] of [
    ['sequential', 1],
    [`${IN_FLIGHT} in flight`, IN_FLIGHT],
  ] as const) {
    process.stderr.write(`assertions, ${mode}…\n`);
    const theirs = await opsPerSecond(jwtAuthAssertion, ASSERTIONS, inFlight);
    const ours = await opsPerSecond(pimsAssertion, ASSERTIONS, inFlight);
    rows.push({
      name: `assertion creation, ${mode}`,
      pims: `${Math.round(ours).toLocaleString('en-US')} /s`,
      reference: `${Math.round(theirs).toLocaleString('en-US')} /s`,
      ratio: ours / theirs,
      target: '≥ 3×',
      met: ours / theirs >= 3,
    });
  }
  process.stderr.write('cached getAccessToken()…\n');
  const cached = await cachedCallsPerSecond();
  rows.push({
    name: 'cached getAccessToken()',
    pims: `${Math.round(cached).toLocaleString('en-US')} /s`,
    reference: '—',
    target: '—',
  });
  const exchanges = await singleFlight(1_000);
  rows.push({
    name: '1,000 concurrent cold getAccessToken()',
    pims: `${exchanges} exchange${exchanges === 1 ? '' : 's'}`,
    reference: '—',
    target: 'exactly 1',
    met: exchanges === 1,
  });
  const note =
    `Reference: \`@adobe/jwt-auth\` ${jwtAuthVersion}'s own assertion call, \`jsonwebtoken\` ${jsonwebtokenVersion} ` +
    "`sign(payload, { key: pem, passphrase: '' }, { algorithm: 'RS256' })`, same claims and RSA-2048 key; the SDK's " +
    '`createAssertion` with the key parsed once (its claims add `iat` and a random `jti`). ' +
    `${ASSERTIONS.toLocaleString('en-US')} assertions per case after a warm-up; "in flight" runs that many calls at ` +
    'a time (jsonwebtoken signs synchronously; the SDK signs with WebCrypto off the main thread). Single flight: an ' +
    'IMS stand-in answering after 20 ms, counting exchanges.';
  const table = writeSection(info, rows, note);
  process.stdout.write(`${table}\n`);
}

await main();
