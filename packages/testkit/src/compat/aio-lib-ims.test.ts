/**
 * `@adobe/aio-lib-ims@8`, unmodified, against our IMS (issue #3 point 7), with a JWT context and an OAuth
 * server-to-server context: `context.set` + `getToken(contextName)` (its plugins sign and exchange / request
 * client credentials), its token cache and expiry handling (`created_at + expires_in`, reused while more than
 * 10 minutes remain), `Ims#validateToken`, `getTokenData`, `Ims.fromToken` and `invalidateToken`.
 *
 * aio-lib-ims has no IMS URL option: `new Ims(env)` only knows Adobe's two hosts. So the library runs in a child
 * process (aio-lib-ims-driver.ts) with a private HOME/XDG_CONFIG_HOME/cwd, `env: 'stage'` in its context, and
 * `HTTPS_PROXY` + `NODE_EXTRA_CA_CERTS` leading `https://ims-na1-stg1.adobelogin.com` to our IMS, which runs with that
 * public URL (adobe-stage-ims.ts). See docs/compatibility.md.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ADOBE_STAGE_IMS_HOST,
  ADOBE_STAGE_IMS_URL,
  startStageIms,
  type StageIms,
} from './adobe-stage-ims.js';
import type { DriverInput, DriverOutput } from './aio-lib-ims-driver.js';
import { assertImsAccessToken, expiryOf, type AdobeAccessTokenClaims } from './token-checks.js';

const DRIVER = fileURLToPath(new URL('./aio-lib-ims-driver.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface DriverRun {
  output: DriverOutput;
  /** The global aio config file the library wrote (`$XDG_CONFIG_HOME/aio`), if any. */
  globalConfig: string | undefined;
  /** Whether it wrote a local `.aio` in its working directory. */
  wroteLocalConfig: boolean;
  stderr: string;
}

/** Runs the driver in a fresh temporary HOME against `stage`; the directory is removed afterwards. */
async function runAioLibIms(stage: StageIms, input: DriverInput): Promise<DriverRun> {
  const home = mkdtempSync(join(tmpdir(), 'pims-compat-aio-'));
  try {
    const inputFile = join(home, 'input.json');
    const outputFile = join(home, 'output.json');
    writeFileSync(inputFile, JSON.stringify(input));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', TSX, DRIVER, inputFile, outputFile],
      {
        cwd: home,
        // Only what the library needs: nothing of the developer's own aio config, proxies or AIO_* settings leaks in.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          HTTPS_PROXY: stage.proxyUrl,
          NODE_EXTRA_CA_CERTS: stage.caFile,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    assert.equal(code, 0, `driver exited with ${code}: ${stderr}`);
    const globalFile = join(home, '.config', 'aio');
    return {
      output: JSON.parse(readFileSync(outputFile, 'utf8')) as DriverOutput,
      globalConfig: existsSync(globalFile) ? readFileSync(globalFile, 'utf8') : undefined,
      wroteLocalConfig: existsSync(join(home, '.aio')),
      stderr,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function jwtContext(stage: StageIms, privateKey = stage.privateKeyPem): Record<string, unknown> {
  const { credentials } = stage;
  return {
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    technical_account_id: credentials.technicalAccountId,
    technical_account_email: credentials.technicalAccountEmail,
    meta_scopes: ['ent_partners_sdk'],
    ims_org_id: credentials.orgId,
    private_key: privateKey,
    env: 'stage',
  };
}

function oauthContext(stage: StageIms, secret = stage.credentials.clientSecret): Record<string, unknown> {
  const { credentials } = stage;
  return {
    client_id: credentials.clientId,
    client_secrets: [secret],
    technical_account_email: credentials.technicalAccountEmail,
    technical_account_id: credentials.technicalAccountId,
    scopes: credentials.scopes,
    ims_org_id: credentials.orgId,
    env: 'stage',
  };
}

const expectedFor = (stage: StageIms, scopes: string[]) => ({
  imsUrl: ADOBE_STAGE_IMS_URL,
  clientId: stage.credentials.clientId,
  orgId: stage.credentials.orgId,
  technicalAccountId: stage.credentials.technicalAccountId,
  scopes,
});

interface Validation {
  valid: boolean;
  expires_at?: number;
  reason?: string;
  token?: { client_id?: string; type?: string };
}

/** What every successful run shows: one token, cached with the expiry the library computed from our claims. */
async function assertTokenRun(
  stage: StageIms,
  run: DriverRun,
  scopes: string[],
  /** The token the context holds when the process ends (default: the one cached after the getToken calls). */
  finalToken = run.output.stored?.token,
): Promise<{ token: string; claims: AdobeAccessTokenClaims }> {
  const { output } = run;
  assert.equal(output.error, undefined, JSON.stringify(output.error));
  const [token] = output.tokens;
  assert.ok(token !== undefined);
  const claims = await assertImsAccessToken(token, expectedFor(stage, scopes), stage.localUrl);

  // getTokenData decodes our token; the cached expiry is created_at + expires_in (ms), ~24 h ahead.
  assert.deepEqual(output.tokenData, claims);
  assert.deepEqual(output.stored, { token: output.tokens.at(-1), expiry: expiryOf(claims) });
  assert.ok(finalToken !== undefined && run.globalConfig?.includes(finalToken), 'cached in the private HOME');
  assert.equal(run.wroteLocalConfig, false);

  // Ims#validateToken posts multipart with a bearer header to /ims/validate_token/v1 and reads `valid`.
  const validation = output.validation as Validation;
  assert.equal(validation.valid, true, JSON.stringify(validation));
  // pims answers `expires_at` = exp × 1000 (second precision), at most 999 ms before created_at + expires_in.
  assert.equal(validation.expires_at, (claims.exp ?? 0) * 1000);
  assert.equal(validation.token?.client_id, stage.credentials.clientId);
  assert.equal(validation.token?.type, 'access_token');

  // `as: ims-na1-stg1` maps back to Adobe's stage host.
  assert.equal(output.fromTokenEnv, 'stage', output.fromTokenError);
  return { token, claims };
}

describe('@adobe/aio-lib-ims@8 against pims (posing as the stage IMS)', () => {
  let stage: StageIms;
  before(async () => {
    stage = await startStageIms();
  });
  after(async () => {
    await stage?.stop();
  });

  const requestsTo = (path: string) => stage.requests.filter((r) => r.method === 'POST' && r.url === path);

  test('JWT context: getToken exchanges a multipart assertion once, then serves the cached token', async () => {
    const exchangesBefore = requestsTo('/ims/exchange/jwt').length;
    const run = await runAioLibIms(stage, {
      contextName: 'pims_jwt',
      contextData: jwtContext(stage),
      getTokenCalls: 2,
    });
    const { token } = await assertTokenRun(stage, run, ['ent_partners_sdk']);
    assert.equal(run.output.tokens[1], token, 'the second getToken reused the cached token');

    const exchanges = requestsTo('/ims/exchange/jwt').slice(exchangesBefore);
    assert.equal(exchanges.length, 1, 'one exchange for two getToken calls');
    assert.match(exchanges[0]?.contentType ?? '', /^multipart\/form-data;\s*boundary=/);
    const validations = stage.requests.filter((r) => r.url === '/ims/validate_token/v1');
    assert.ok(validations.every((r) => r.method === 'POST' && r.authorization));
    assert.ok(stage.connectTargets.length > 0);
    assert.ok(stage.connectTargets.every((target) => target === `${ADOBE_STAGE_IMS_HOST}:443`));
  });

  test('JWT context with private_key as a file path and meta_scopes as a JSON string', async () => {
    const contextData = { ...jwtContext(stage, stage.privateKeyFile), meta_scopes: '["ent_partners_sdk"]' };
    const run = await runAioLibIms(stage, { contextName: 'pims_jwt_file', contextData, getTokenCalls: 1 });
    await assertTokenRun(stage, run, ['ent_partners_sdk']);
  });

  test('OAuth server-to-server context: getToken uses /ims/token/v2 once, then serves the cached token', async () => {
    const before = requestsTo('/ims/token/v2').length;
    const run = await runAioLibIms(stage, {
      contextName: 'pims_oauth',
      contextData: oauthContext(stage),
      getTokenCalls: 2,
    });
    const { token, claims } = await assertTokenRun(stage, run, stage.credentials.scopes);
    assert.equal(run.output.tokens[1], token);
    assert.equal(requestsTo('/ims/token/v2').length - before, 1);
    assert.equal(claims.expires_in, '86400000');
  });

  test('a wrong secret makes getToken reject with the IMS error', async () => {
    const run = await runAioLibIms(stage, {
      contextName: 'pims_bad',
      contextData: oauthContext(stage, 'not-the-secret'),
      getTokenCalls: 1,
    });
    assert.deepEqual(run.output.tokens, []);
    assert.match(run.output.error?.message ?? '', /401/);
    assert.match(run.output.error?.message ?? '', /invalid_client/);
  });

  // Last in this suite: aio-lib-ims always sends `cascading=all`, which pims reads as "every token of this client".
  test('JWT context: invalidateToken revokes the token at our IMS and drops it from the context', async () => {
    const run = await runAioLibIms(stage, {
      contextName: 'pims_jwt_invalidate',
      contextData: jwtContext(stage),
      getTokenCalls: 1,
      invalidate: true,
    });
    await assertTokenRun(stage, run, ['ent_partners_sdk'], run.output.invalidated?.newToken);
    const invalidated = run.output.invalidated;
    assert.ok(invalidated !== undefined);
    assert.equal(invalidated.storedAfter, null);
    assert.equal((invalidated.validation as Validation).valid, false);
    assert.equal(invalidated.newTokenError, undefined, JSON.stringify(invalidated.newTokenError));
    assert.equal(
      (invalidated.newValidation as Validation).valid,
      true,
      JSON.stringify(invalidated.newValidation),
    );
    assert.equal(requestsTo('/ims/invalidate_token/v2').length, 1);
  });
});

describe('@adobe/aio-lib-ims@8 expiry handling with short-lived pims tokens', () => {
  let stage: StageIms;
  before(async () => {
    // aio-lib-ims reuses a cached token only while more than 10 minutes remain: a 5-minute token never is.
    stage = await startStageIms({ env: { PIMS_ACCESS_TOKEN_LIFETIME: '300' } });
  });
  after(async () => {
    await stage?.stop();
  });

  test('OAuth server-to-server: a token with less than 10 minutes left is not reused', async () => {
    const run = await runAioLibIms(stage, {
      contextName: 'pims_oauth_short',
      contextData: oauthContext(stage),
      getTokenCalls: 2,
    });
    const { output } = run;
    assert.equal(output.error, undefined, JSON.stringify(output.error));
    assert.equal(output.tokens.length, 2);
    assert.notEqual(output.tokens[1], output.tokens[0]);
    assert.equal(stage.requests.filter((r) => r.url === '/ims/token/v2').length, 2);
    const second = await assertImsAccessToken(
      output.tokens[1]!,
      expectedFor(stage, stage.credentials.scopes),
      stage.localUrl,
    );
    assert.equal(second.expires_in, '300000');
    // Nor is such a token cached at all: getToken returns it but keeps nothing in the context.
    assert.equal(output.stored, undefined);
    assert.ok(!(run.globalConfig ?? '').includes(output.tokens[1]!));
    assert.ok(expiryOf(second) - Date.now() < 10 * 60_000);
  });
});
