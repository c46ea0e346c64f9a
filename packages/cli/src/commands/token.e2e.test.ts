/**
 * The partner-side commands as a partner runs them: real `pims` processes against the real IMS (`startImsHarness`)
 * and gateway on 127.0.0.1, with the demo workspace file. Also proves that `pims token` and `pims credentials show`
 * never load the server's code, a database driver or any native module: the child runs with a recorder (`--import`)
 * whose module resolve hook logs every URL it resolves and whose `process.dlopen` wrapper logs every native addon.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGateway, type RunningGateway } from '@pims/gateway';
import { REPO_ROOT, refusedPort, startImsHarness, type ImsHarness } from '@pims/testkit';

const BIN = resolve(REPO_ROOT, 'packages/cli/src/bin.ts');
const dir = mkdtempSync(join(tmpdir(), 'pims-cli-e2e-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pims ARGS` from source with only the given variables (plus PATH and HOME); `nodeArgs` go before the script. */
function pims(
  args: readonly string[],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', ...nodeArgs, BIN, ...args],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on. */
const RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const log = process.env.PIMS_MODULE_LOG;
register(new URL('./record-hooks.mjs', import.meta.url), { data: { log } });
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  appendFileSync(log, 'dlopen ' + filename + '\\n');
  return dlopen.call(this, module, filename, ...rest);
};
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const key of Object.keys(require.cache)) appendFileSync(log, 'cjs ' + key + '\\n');
});
`;
const RECORDER_HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, 'esm ' + result.url + '\\n');
  return result;
}
`;
const FORBIDDEN =
  /better-sqlite3|packages\/server\/|@pims\/server|\/node_modules\/(pg|ioredis|fastify|kysely)\/|packages\/core\//;

/** Runs `pims ARGS` (or `node -e CODE` with `eval`) with the recorder; returns the run and the modules it loaded. */
async function recorded(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Run & { loaded: string[] }> {
  writeFileSync(join(dir, 'record.mjs'), RECORDER);
  writeFileSync(join(dir, 'record-hooks.mjs'), RECORDER_HOOKS);
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const run = await pims(args, { ...env, PIMS_MODULE_LOG: log }, ['--import', join(dir, 'record.mjs')]);
  return { ...run, loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('pims token, ping, call, credentials show — end to end', () => {
  let ims: ImsHarness;
  let gateway: RunningGateway;
  let envFlags: string[];
  before(async () => {
    ims = await startImsHarness();
    gateway = await startGateway({ imsUrl: ims.url, dataDir: ims.dataDir, revocationPollMs: 100 });
    envFlags = ['--env', ims.url, '--api-url', gateway.url];
  });
  after(async () => {
    await gateway?.close();
    await ims?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const partnerEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    PIMS_CLIENT_ID: ims.credentials.clientId,
    PIMS_CLIENT_SECRET: ims.credentials.clientSecret,
    PIMS_ORG_ID: ims.credentials.orgId,
    PIMS_TECHNICAL_ACCOUNT_ID: ims.credentials.technicalAccountId,
    PIMS_PRIVATE_KEY_FILE: ims.privateKeyFile,
    ...overrides,
  });

  test('pims token --credentials <demo workspace.json> --env URL --json prints the token as JSON, progress on stderr', async () => {
    const run = await pims(['token', '--credentials', ims.workspaceFile, '--env', ims.url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(result.token_type, 'bearer');
    assert.equal(result.type, 'oauth_server_to_server');
    assert.equal(result.client_id, ims.credentials.clientId);
    assert.equal(result.ims_url, ims.url);
    assert.ok(typeof result.expires_in === 'number' && result.expires_in > 86_000);
    const validation = await fetch(`${ims.url}/ims/validate_token/v1`, {
      method: 'POST',
      body: new URLSearchParams({
        type: 'access_token',
        client_id: ims.credentials.clientId,
        token: String(result.access_token),
      }),
    });
    assert.equal(
      ((await validation.json()) as { valid: boolean }).valid,
      true,
      'the IMS says the token is valid',
    );
    assert.match(run.stderr, /requesting a token \(OAuth server-to-server/);
  });

  test('--type jwt uses private.key beside the workspace file and prints the bare token', async () => {
    const run = await pims(['token', '--credentials', ims.workspaceFile, '--env', ims.url, '--type', 'jwt']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    assert.match(run.stderr, /JWT exchange/);
  });

  test('without --credentials the PIMS_* variables are used (JWT with PIMS_PRIVATE_KEY_FILE)', async () => {
    const run = await pims(['token', '--env', ims.url, '--json'], partnerEnv());
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { type: string }).type, 'jwt');
  });

  test('a refused request exits 1 with the IMS error on stderr, nothing on stdout, no secret anywhere', async () => {
    const run = await pims(
      ['token', '--env', ims.url],
      partnerEnv({ PIMS_CLIENT_SECRET: 'p8e-wrong-secret-0123456789' }),
    );
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^pims: IMS .*401 invalid_client/m);
    assert.doesNotMatch(run.stderr, /wrong-secret/);
  });

  test('an unreachable IMS exits 2', async () => {
    const run = await pims([
      'token',
      '--credentials',
      ims.workspaceFile,
      '--env',
      `http://127.0.0.1:${await refusedPort()}`,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^pims: /m);
  });

  test('a malformed workspace file and a bad flag exit 1', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"project":');
    const malformed = await pims(['token', '--credentials', bad, '--env', ims.url]);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /is not valid JSON/);
    const flag = await pims(['token', '--type', 'saml']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /--type/);
  });

  test('pims ping answers pong without credentials, and with --auth checks the token too', async () => {
    const open = await pims(['ping', ...envFlags]);
    assert.equal(open.code, 0, open.stderr);
    assert.equal(open.stdout, 'pong\n');
    const auth = await pims(['ping', ...envFlags, '--auth', '--credentials', ims.workspaceFile, '--json']);
    assert.equal(auth.code, 0, auth.stderr);
    const result = JSON.parse(auth.stdout) as { body: string; authenticated: boolean; status: number };
    assert.deepEqual([result.status, result.body, result.authenticated], [200, 'pong', true]);
    const down = await pims([
      'ping',
      '--env',
      ims.url,
      '--api-url',
      `http://127.0.0.1:${await refusedPort()}`,
    ]);
    assert.equal(down.code, 2, down.stderr);
  });

  test('pims call sends an authenticated request; the body is on stdout; a 404 exits 1 with its request id', async () => {
    const created = await pims([
      'call',
      'POST',
      '/v3/customers',
      '--data',
      '{"name":"CLI Co"}',
      ...envFlags,
      '--credentials',
      ims.workspaceFile,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const customer = JSON.parse(created.stdout) as { id: string; name: string };
    assert.equal(customer.name, 'CLI Co');
    assert.match(created.stderr, /POST \/v3\/customers → 201/);
    const read = await pims([
      'call',
      'get',
      `/v3/customers/${customer.id}`,
      ...envFlags,
      '--credentials',
      ims.workspaceFile,
      '--json',
    ]);
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(
      (JSON.parse(read.stdout) as { status: number; body: { id: string } }).body.id,
      customer.id,
    );
    const missing = await pims([
      'call',
      'GET',
      '/v3/customers/00000000-0000-0000-0000-000000000000',
      ...envFlags,
      '--credentials',
      ims.workspaceFile,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^pims: GET \/v3\/customers\/0{8}-.* answered 404 .*x-request-id/m);
    const badData = await pims(['call', 'POST', '/v3/customers', '--data', '{oops', ...envFlags]);
    assert.equal(badData.code, 1);
    assert.match(badData.stderr, /--data must be JSON/);
  });

  test('pims credentials show masks the demo secret', async () => {
    const run = await pims(['credentials', 'show', ims.workspaceFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(ims.credentials.clientId));
    assert.ok(!run.stdout.includes(ims.credentials.clientSecret), 'the secret is never shown');
    assert.match(run.stdout, new RegExp(`client_secret +p8e-…${ims.credentials.clientSecret.slice(-4)}`));
  });

  test('the module recorder sees better-sqlite3 and its native addon when they load (control)', async () => {
    // `pims db migrate` opens SQLite: the recorder must see both the package and the dlopen of its addon.
    const run = await recorded(['db', 'migrate'], {
      PIMS_DATA_DIR: join(dir, 'control-data'),
      PIMS_LOG_LEVEL: 'warn',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.loaded.some((line) => line.startsWith('esm ') && line.includes('better-sqlite3')),
      'resolve hook',
    );
    assert.ok(
      run.loaded.some((line) => line.startsWith('dlopen ') && line.includes('better_sqlite3')),
      'dlopen',
    );
  });

  test('pims token and pims credentials show load neither the server, nor a database driver, nor any native module', async () => {
    const runs = [
      await recorded(['token', '--credentials', ims.workspaceFile, '--env', ims.url, '--type', 'jwt']),
      await recorded(['credentials', 'show', ims.workspaceFile]),
    ];
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.ok(
        run.loaded.some((line) => line.includes('packages/cli/src/commands/')),
        'the recorder saw the command',
      );
      assert.ok(
        run.loaded.some((line) => line.includes('packages/client/src/')),
        'the recorder saw the SDK',
      );
      assert.deepEqual(
        run.loaded.filter((line) => FORBIDDEN.test(line)),
        [],
      );
      assert.deepEqual(
        run.loaded.filter((line) => line.startsWith('dlopen ')),
        [],
      );
    }
  });
});
