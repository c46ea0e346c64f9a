// Installs the package the way partners get it (`npm pack` → `npm install` in an empty folder) and uses it from an
// ESM consumer, a CommonJS consumer (jose is ESM-only: this proves require(esm) works on our Node floor) and a
// type-checked TypeScript consumer. Takes ~30 s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFakeIms, type FakeIms } from './testing/fake-ims.js';
import { startFakePartnerApi, type FakePartnerApi } from './testing/fake-partner-api.js';
import { TEST_CLIENT, testImsClient, testKeys } from './testing/fixtures.js';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'pims-pack-'));
const consumer = join(work, 'consumer');
let ims: FakeIms;
let api: FakePartnerApi;

void before(async () => {
  ims = await startFakeIms({ clients: [testImsClient()] });
  api = await startFakePartnerApi({ clientId: TEST_CLIENT.clientId, isValidToken: (t) => ims.issued.has(t) });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir });
  const [{ filename, files }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [
    { filename: string; files: { path: string }[] },
  ];
  const paths = files.map((f) => f.path);
  assert.ok(paths.includes('README.md'));
  assert.ok(paths.includes('dist/cjs/package.json'));
  assert.ok(
    !paths.some((p) => p.includes('.test.') || p.includes('testing/') || p.startsWith('src/')),
    'no tests or sources',
  );
  await run('mkdir', ['-p', consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, filename)], {
    cwd: consumer,
  });
});
void after(async () => {
  await ims?.close();
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

const consumerEnv = () => ({
  ...process.env,
  NODE_OPTIONS: '',
  IMS_URL: ims.url,
  API_URL: api.url,
  PIMS_CLIENT_ID: TEST_CLIENT.clientId,
  PIMS_CLIENT_SECRET: TEST_CLIENT.clientSecret,
  PIMS_ORG_ID: TEST_CLIENT.orgId,
  PIMS_TECHNICAL_ACCOUNT_ID: TEST_CLIENT.technicalAccountId,
  PIMS_PRIVATE_KEY: testKeys().pem,
});

const script = (load: string) => `${load}
const client = createPartnerClient({
  environment: { imsUrl: process.env.IMS_URL, apiUrl: process.env.API_URL },
  credentials: credentialsFromEnv(),
});
client.ping({ authenticated: true }).then(
  (pong) => console.log(JSON.stringify({ pong: pong.body, isError: new CredentialError('x', []) instanceof PimsError })),
  (error) => { console.error(error); process.exit(1); },
);
`;

void test('an ESM consumer gets a token (JWT) and calls the API', { timeout: 120_000 }, async () => {
  writeFileSync(
    join(consumer, 'esm.mjs'),
    script(
      `import { createPartnerClient, credentialsFromEnv, CredentialError, PimsError } from '@pims/client';`,
    ),
  );
  const { stdout, stderr } = await run(process.execPath, ['esm.mjs'], { cwd: consumer, env: consumerEnv() });
  assert.deepEqual(JSON.parse(stdout), { pong: 'pong', isError: true });
  assert.equal(stderr, '');
});

void test(
  'a CommonJS consumer gets a token (JWT) and calls the API, without warnings',
  { timeout: 120_000 },
  async () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      script(
        `const { createPartnerClient, credentialsFromEnv, CredentialError, PimsError } = require('@pims/client');`,
      ),
    );
    const { stdout, stderr } = await run(process.execPath, ['cjs.cjs'], {
      cwd: consumer,
      env: consumerEnv(),
    });
    assert.deepEqual(JSON.parse(stdout), { pong: 'pong', isError: true });
    assert.equal(stderr, '');
  },
);

void test(
  'TypeScript consumers (ESM and CommonJS) type-check against the published declarations',
  { timeout: 120_000 },
  async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const nodeTypes = dirname(dirname(createRequire(import.meta.url).resolve('@types/node/package.json')));
    const body = `
const client = createPartnerClient({ environment: 'sandbox', credentials: credentialsFromEnv({}) });
const token: Promise<string> = client.getAccessToken();
const store: TokenCacheStore = { get: async () => undefined, set: async () => {}, delete: async () => {} };
const code: PimsErrorCode = 'ims_rejected';
export { token, store, code };
`;
    const imports = `{ createPartnerClient, credentialsFromEnv, type TokenCacheStore, type PimsErrorCode } from '@pims/client'`;
    writeFileSync(join(consumer, 'consumer.mts'), `import ${imports};\n${body}`);
    writeFileSync(join(consumer, 'consumer.cts'), `import ${imports};\n${body}`);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [nodeTypes],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer }).catch(
      (error: { stdout?: string }) => {
        assert.fail(`tsc failed:\n${error.stdout ?? (error as Error).message}`);
      },
    );
  },
);
