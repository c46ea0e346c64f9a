/**
 * `pims start` as a user runs it: a real process, real SQLite (and PostgreSQL when PIMS_TEST_POSTGRES_URL is set),
 * real HTTP on 127.0.0.1 with a free port, and the failures a user meets with a clear one-line error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createFreshPostgresDatabase, spawnPims } from '@pims/testkit';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pims-start-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const quiet = { PIMS_LOG_LEVEL: 'warn', PIMS_IMS_PORT: '0', PIMS_API_PORT: '0' };

interface Workspace {
  project: {
    org: { ims_org_id: string };
    workspace: {
      details: {
        credentials: Array<{ oauth_server_to_server?: { client_id: string; client_secrets: string[] } }>;
      };
    };
  };
}

/** What a new user does after `npm start`: read the demo credential file, get a token, call the Partner API. */
async function useTheDemo(dataDir: string, imsUrl: string, apiUrl: string): Promise<void> {
  const workspace = JSON.parse(readFileSync(join(dataDir, 'demo', 'workspace.json'), 'utf8')) as Workspace;
  const oauth = workspace.project.workspace.details.credentials.find((c) => c.oauth_server_to_server);
  assert.ok(oauth?.oauth_server_to_server, 'the demo workspace has an OAuth server-to-server credential');
  const { client_id: clientId, client_secrets: secrets } = oauth.oauth_server_to_server;
  assert.equal(statSync(join(dataDir, 'demo', 'private.key')).mode & 0o777, 0o600);

  const tokenResponse = await fetch(`${imsUrl}/ims/token/v3`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secrets[0] ?? '',
      scope: 'ent_partners_sdk',
    }),
  });
  assert.equal(tokenResponse.status, 200);
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

  const ping = await fetch(`${apiUrl}/ping`);
  assert.equal(await ping.text(), 'pong');
  const denied = await fetch(`${apiUrl}/v3/customers`);
  assert.equal(denied.status, 403, 'no token, no access');
  const customers = await fetch(`${apiUrl}/v3/customers`, {
    headers: { authorization: `Bearer ${token}`, 'x-api-key': clientId },
  });
  assert.equal(customers.status, 200);
}

async function startAndProbe(env: Record<string, string>): Promise<void> {
  const pims = spawnPims(['start'], { ...quiet, ...env });
  try {
    const [, url = ''] = await pims.waitFor(/IMS \+ console .* \(listening on (http:\/\/127\.0\.0\.1:\d+)/, {
      timeoutMs: 60_000,
    });
    const [, apiUrl = ''] = await pims.waitFor(
      /Partner API gateway .* \(listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    await pims.waitFor(/demo private key/);
    const ready = await fetch(`${url}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    const live = await fetch(`${url}/health/live`);
    assert.equal(live.status, 200);
    await useTheDemo(env.PIMS_DATA_DIR ?? '', url, apiUrl);
  } finally {
    const exit = await pims.stop();
    assert.equal(exit.code, 0, `graceful stop exits 0 (stderr: ${pims.stderr()})`);
  }
}

describe('pims start', () => {
  test('runs IMS and gateway on embedded SQLite with a usable demo credential, and stops cleanly on SIGTERM', async () => {
    await startAndProbe({ PIMS_DATA_DIR: tempDir() });
  });

  const postgresUrl = process.env.PIMS_TEST_POSTGRES_URL;
  test(
    'runs the same sandbox on PostgreSQL',
    { skip: postgresUrl ? false : 'PIMS_TEST_POSTGRES_URL is not set' },
    async () => {
      const database = await createFreshPostgresDatabase(postgresUrl ?? '', 'start');
      try {
        await startAndProbe({ PIMS_DATA_DIR: tempDir(), PIMS_DATABASE_URL: database.url });
      } finally {
        await database.drop();
      }
    },
  );

  test('a malformed PIMS_* value stops start-up with one line naming the variable and the expected form', async () => {
    const pims = spawnPims(['start'], { ...quiet, PIMS_DATA_DIR: tempDir(), PIMS_IMS_PORT: 'eighty' });
    const exit = await pims.exited(60_000);
    assert.equal(exit.code, 1);
    const errors = pims
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('pims:'));
    assert.equal(errors.length, 1, pims.stderr());
    assert.match(errors[0] ?? '', /^pims: PIMS_IMS_PORT must be an integer .*"eighty"/);
    assert.equal(pims.stdout(), '', 'nothing started');
  });

  test('an unknown flag is refused with the flag named', async () => {
    const pims = spawnPims(['start', '--ims-prot', '9000'], { ...quiet, PIMS_DATA_DIR: tempDir() });
    const exit = await pims.exited(60_000);
    assert.equal(exit.code, 1);
    assert.match(pims.stderr(), /pims: unknown option --ims-prot/);
  });

  test('a data directory that cannot be created is named in the error', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'not-a-dir'), 'x');
    const dataDir = join(parent, 'not-a-dir', 'data');
    const pims = spawnPims(['start'], { ...quiet, PIMS_DATA_DIR: dataDir });
    const exit = await pims.exited(60_000);
    assert.equal(exit.code, 1);
    assert.ok(pims.stderr().includes(join(parent, 'not-a-dir')), pims.stderr());
  });

  test('an unreachable PostgreSQL is a clear error within 5 s, exit code 2, not a hang', async () => {
    const pims = spawnPims(['start'], {
      ...quiet,
      PIMS_DATA_DIR: tempDir(),
      PIMS_DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/nowhere',
    });
    // The configuration warnings print just before the database is opened: measure from there, so the child's own
    // start-up (transpiling TypeScript) does not count against the database's timeout.
    await pims.waitFor(/warning: /, { from: 'stderr', timeoutMs: 60_000 });
    const connecting = Date.now();
    const exit = await pims.exited(60_000);
    assert.ok(Date.now() - connecting < 5_000, `gave up after ${Date.now() - connecting} ms, not within 5 s`);
    assert.equal(exit.code, 2);
    assert.match(pims.stderr(), /pims: .*(database|PostgreSQL).*unreachable|pims: .*(database|PostgreSQL)/i);
    assert.doesNotMatch(pims.stderr(), /hunter2/, 'the password never reaches the output');
  });
});

describe('pims db migrate', () => {
  test('applies migrations once, then reports the database up to date', async () => {
    const dataDir = tempDir();
    const first = spawnPims(['db', 'migrate', '--json'], { ...quiet, PIMS_DATA_DIR: dataDir });
    assert.equal((await first.exited(60_000)).code, 0, first.stderr());
    const applied = (JSON.parse(first.stdout()) as { applied: string[] }).applied;
    assert.ok(applied.length >= 1);
    assert.ok(
      applied.every((name) => /^\d{4}-/.test(name)),
      applied.join(','),
    );

    const second = spawnPims(['db', 'migrate'], { ...quiet, PIMS_DATA_DIR: dataDir });
    assert.equal((await second.exited(60_000)).code, 0, second.stderr());
    assert.equal(second.stdout(), 'database is up to date\n');
  });
});
