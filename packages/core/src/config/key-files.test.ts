import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from './config-error.js';
import type { KeySource } from './config-types.js';
import { resolveKeyMaterial } from './key-files.js';
import { Secret } from './secret.js';

const root = mkdtempSync(join(tmpdir(), 'pims-key-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function fileSources(): { keyEncryptionKey: KeySource; secretKey: KeySource; dir: string } {
  const dir = join(root, `data-${n++}`, 'keys');
  return {
    dir,
    keyEncryptionKey: { source: 'file', path: join(dir, 'kek.key') },
    secretKey: { source: 'file', path: join(dir, 'secret.key') },
  };
}

void describe('resolveKeyMaterial', () => {
  void it('creates missing key files with mode 0600 and reads them back the next time', async () => {
    const sources = fileSources();
    const first = await resolveKeyMaterial(sources);
    assert.equal(first.keyEncryptionKey.length, 32);
    assert.equal(first.secretKey.length, 32);
    assert.notDeepEqual(first.keyEncryptionKey, first.secretKey);
    for (const file of ['kek.key', 'secret.key']) {
      assert.equal(statSync(join(sources.dir, file)).mode & 0o777, 0o600);
    }
    assert.equal(statSync(sources.dir).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(sources.dir).sort(), ['kek.key', 'secret.key']);
    const again = await resolveKeyMaterial(sources);
    assert.deepEqual(again, first);
    assert.equal(
      readFileSync(join(sources.dir, 'kek.key'), 'utf8').trim(),
      first.keyEncryptionKey.toString('base64'),
    );
  });

  void it('gives processes that start at once the same key', async () => {
    const sources = fileSources();
    const results = await Promise.all(Array.from({ length: 12 }, () => resolveKeyMaterial(sources)));
    for (const result of results) assert.deepEqual(result, results[0]);
    assert.deepEqual(readdirSync(sources.dir).sort(), ['kek.key', 'secret.key']);
  });

  void it('decodes keys from the environment', async () => {
    const kek = Buffer.alloc(32, 1);
    const secret = Buffer.alloc(64, 2);
    const material = await resolveKeyMaterial({
      keyEncryptionKey: { source: 'env', value: new Secret(kek.toString('base64')) },
      secretKey: { source: 'env', value: new Secret(secret.toString('base64url')) },
    });
    assert.deepEqual(material, { keyEncryptionKey: kek, secretKey: secret });
  });

  void it('names the path when the directory can not be written', async () => {
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'keys', 'kek.key');
    await assert.rejects(
      resolveKeyMaterial({ keyEncryptionKey: { source: 'file', path }, secretKey: fileSources().secretKey }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(
          err.message,
          `cannot create key file ${path}: directory ${join(blocker, 'keys')} is not writable (ENOTDIR); ` +
            'set PIMS_KEY_ENCRYPTION_KEY or choose another PIMS_DATA_DIR',
        );
        return true;
      },
    );
  });

  void it('refuses a key file that is malformed or readable by others, without showing its content', async () => {
    const sources = fileSources();
    await resolveKeyMaterial(sources);
    const path = join(sources.dir, 'kek.key');
    writeFileSync(path, 'c2hvcnQ=\n', { mode: 0o600 });
    await assert.rejects(resolveKeyMaterial(sources), {
      name: 'ConfigError',
      message: `key file ${path} must hold the base64 encoding of 32 bytes`,
    });
    writeFileSync(path, `${Buffer.alloc(32).toString('base64')}\n`);
    chmodSync(path, 0o644);
    await assert.rejects(resolveKeyMaterial(sources), {
      name: 'ConfigError',
      message: `key file ${path} is readable by other users (mode 644): chmod 600 it`,
    });
  });
});
