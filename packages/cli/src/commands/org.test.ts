import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { createScryptHasher } from '@pims/core';
import { registerOperatorCommands } from './operator.js';
import { registerOrgCommands } from './org.js';

const dataDir = mkdtempSync(join(tmpdir(), 'pims-cli-org-test-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const env = {
  PIMS_DATA_DIR: dataDir,
  PIMS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PIMS_SECRET_KEY: Buffer.alloc(32, 2).toString('base64'),
  PIMS_HOST: '127.0.0.1',
  PIMS_IMS_URL: 'https://ims.example.test',
  PIMS_API_URL: 'https://api.example.test',
};
const passwords = createScryptHasher({ logN: 10, r: 8, p: 1 });

async function pims(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('pims').exitOverride();
  const deps = {
    env,
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    readStdin: () => Promise.resolve(stdin),
    promptPassword: () => Promise.reject(new Error('no prompt in tests')),
    passwords,
  };
  registerOperatorCommands(program, deps);
  registerOrgCommands(program, deps);
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.exitCode = previous;
  }
}

test('operator create reads the password from stdin, refuses short ones and duplicates', async () => {
  const short = await pims(
    ['operator', 'create', '--email', 'ops@p.example', '--name', 'Ops', '--password-stdin'],
    'short\n',
  );
  assert.equal(short.code, 1); // runAction prints the message on process.stderr
  const ok = await pims(
    ['operator', 'create', '--email', 'Ops@P.example', '--name', 'Ops', '--password-stdin'],
    'a very long password\n',
  );
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^created operator ops@p\.example \([0-9a-f-]{36}\)\n$/);
  const again = await pims(
    ['operator', 'create', '--email', 'ops@p.example', '--name', 'Ops', '--password-stdin'],
    'a very long password\n',
  );
  assert.equal(again.code, 1);
  const bad = await pims(
    ['operator', 'create', '--email', 'nope', '--name', 'Ops', '--password-stdin'],
    'a very long password\n',
  );
  assert.equal(bad.code, 1); // runAction prints the message on process.stderr
});

test('org create invites the admins and prints their links; list, disable (revocation), enable', async () => {
  const created = await pims([
    'org',
    'create',
    '--name',
    'Acme Distribution',
    '--admin',
    'a@acme.example',
    '--admin',
    'b@acme.example',
    '--json',
  ]);
  assert.equal(created.code, 0, created.err);
  const body = JSON.parse(created.out) as {
    org: { id: string; name: string };
    invitations: Array<{ link: string; invitation: { email: string; role: string } }>;
  };
  assert.equal(body.org.name, 'Acme Distribution');
  assert.deepEqual(
    body.invitations.map((i) => [i.invitation.email, i.invitation.role]),
    [
      ['a@acme.example', 'admin'],
      ['b@acme.example', 'admin'],
    ],
  );
  for (const { link } of body.invitations)
    assert.match(link, /^https:\/\/ims\.example\.test\/console\/invitation#[A-Za-z0-9_-]{43}$/);

  const noAdmin = await pims(['org', 'create', '--name', 'X']);
  assert.equal(noAdmin.code, 1); // runAction prints the message on process.stderr

  const listed = await pims(['org', 'list']);
  assert.equal(listed.out, `${body.org.id}  active    "Acme Distribution"\n`);
  assert.equal((await pims(['org', 'disable', body.org.id])).out, `disabled org ${body.org.id}\n`);
  assert.equal(
    (await pims(['org', 'list', '--status', 'disabled', '--json'])).out.includes(body.org.id),
    true,
  );
  assert.equal((await pims(['org', 'enable', body.org.id])).out, `enabled org ${body.org.id}\n`);
  const unknown = await pims(['org', 'disable', 'FFFFFFFFFFFFFFFFFFFFFFFF@AdobeOrg']);
  assert.equal(unknown.code, 1); // runAction prints the message on process.stderr
});
