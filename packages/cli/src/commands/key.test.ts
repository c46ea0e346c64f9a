import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { registerKeyCommands } from './key.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pims-cli-key-test-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const env = {
  PIMS_DATA_DIR: dataDir,
  PIMS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PIMS_SECRET_KEY: Buffer.alloc(32, 2).toString('base64'),
  // Set so that loadConfig has no development-default warning to print.
  PIMS_HOST: '127.0.0.1',
  PIMS_IMS_URL: 'https://ims.example.test',
  PIMS_API_URL: 'https://api.example.test',
};
let now = Date.UTC(2026, 0, 1);

async function pims(
  args: string[],
  overrides: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('pims').exitOverride();
  registerKeyCommands(program, {
    env: { ...env, ...overrides },
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    clock: () => now,
  });
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.exitCode = previous;
  }
}

const listed = async () =>
  (JSON.parse((await pims(['key', 'list', '--json'])).out) as { keys: Array<{ kid: string; state: string }> })
    .keys;

test('rotate creates, stages and activates; list and prune report; timing and key checks refuse with exit 1', async () => {
  assert.deepEqual(await pims(['key', 'list', '--json']), { code: 0, out: '{"keys":[]}\n', err: '' });

  const created = await pims(['key', 'rotate']);
  assert.equal(created.code, 0);
  const [first] = await listed();
  assert.equal(created.out, `activated ${first!.kid}\n`, 'an empty database gets its first active key');

  now += 1000;
  const staged = await pims(['key', 'rotate']);
  const keysAfterStage = await listed();
  const next = keysAfterStage.find((key) => key.state === 'next');
  assert.equal(staged.code, 0);
  assert.equal(staged.out, `staged ${next!.kid}\n`);
  assert.match(staged.err, /run `pims key rotate` again/);

  const tooSoon = await pims(['key', 'rotate']);
  assert.equal(tooSoon.code, 1);
  assert.equal(tooSoon.out, '');
  assert.deepEqual(await listed(), keysAfterStage, 'nothing changed');

  // Another key-encryption key: refused before anything is written.
  const wrongKek = await pims(['key', 'rotate', '--force'], {
    PIMS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  });
  assert.equal(wrongKek.code, 1);
  assert.deepEqual(await listed(), keysAfterStage);

  now += 300_000;
  const activated = await pims(['key', 'rotate', '--json']);
  assert.equal(activated.code, 0);
  const removeAfter = now + (86_400 + 30) * 1000 + 30_000;
  assert.deepEqual(JSON.parse(activated.out), {
    step: 'activated',
    kid: next!.kid,
    retired: [{ kid: first!.kid, removeAfter }],
  });
  assert.deepEqual(
    (await listed()).map(({ kid, state }) => [kid, state]),
    [
      [first!.kid, 'retired'],
      [next!.kid, 'active'],
    ],
  );

  const table = await pims(['key', 'list']);
  assert.match(
    table.out,
    new RegExp(`^${first!.kid} +retired .* ${new Date(removeAfter).toISOString()} +yes$`, 'm'),
  );

  assert.deepEqual(await pims(['key', 'prune', '--json']), { code: 0, out: '{"removed":[]}\n', err: '' });
  now = removeAfter;
  assert.deepEqual(await pims(['key', 'prune']), { code: 0, out: `removed ${first!.kid}\n`, err: '' });
  assert.deepEqual(
    (await listed()).map(({ kid }) => kid),
    [next!.kid],
  );
});

test('an unreachable database exits 2', async () => {
  const result = await pims(['key', 'list'], { PIMS_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pims' });
  assert.equal(result.code, 2);
  assert.equal(result.out, '');
});
