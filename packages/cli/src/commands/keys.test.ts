import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { CliIo } from './credentials.js';
import { CERTIFICATE_FILE, PRIVATE_KEY_FILE, keysGenerateCommand } from './keys.js';

const root = mkdtempSync(join(tmpdir(), 'pims-keys-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `out-${n++}`);
const io = (): CliIo & { stdout: () => string } => {
  let out = '';
  return { env: {}, out: (t) => void (out += t), err: () => undefined, stdout: () => out };
};

describe('pims keys generate', () => {
  test('writes an RSA-2048 private key (mode 0600) and a self-signed certificate for it, valid --days days', async () => {
    const out = fresh();
    const now = Date.parse('2030-01-01T00:00:00Z');
    const capture = io();
    await keysGenerateCommand({ out, days: 30, now, json: true }, capture);
    const keyPath = join(out, PRIVATE_KEY_FILE);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    const certificate = new X509Certificate(readFileSync(join(out, CERTIFICATE_FILE)));
    assert.ok(certificate.checkPrivateKey(privateKey), 'the certificate is the key pair');
    assert.ok(certificate.verify(createPublicKey(privateKey)), 'self-signed');
    assert.equal(certificate.subject, 'CN=pims partner');
    assert.equal(new Date(certificate.validTo).getTime(), now + 30 * 86_400_000);
    assert.equal(certificate.ca, false);
    const result = JSON.parse(capture.stdout()) as { fingerprint_sha256: string; not_after: string };
    assert.equal(result.fingerprint_sha256, certificate.fingerprint256.replaceAll(':', '').toLowerCase());
    assert.equal(result.not_after, '2030-01-31T00:00:00.000Z');
  });

  test('refuses to overwrite an existing file without --force, and overwrites with it (still 0600)', async () => {
    const out = fresh();
    await keysGenerateCommand({ out }, io());
    const before = readFileSync(join(out, PRIVATE_KEY_FILE), 'utf8');
    await assert.rejects(keysGenerateCommand({ out }, io()), /already exist.*--force/);
    assert.equal(readFileSync(join(out, PRIVATE_KEY_FILE), 'utf8'), before, 'untouched');
    await keysGenerateCommand({ out, force: true, bits: 3072 }, io());
    const after = createPrivateKey(readFileSync(join(out, PRIVATE_KEY_FILE), 'utf8'));
    assert.equal(after.asymmetricKeyDetails?.modulusLength, 3072);
    assert.equal(statSync(join(out, PRIVATE_KEY_FILE)).mode & 0o777, 0o600);
  });

  test('a lone existing certificate also blocks, so a key and its certificate never get out of step', async () => {
    const out = fresh();
    await keysGenerateCommand({ out }, io());
    rmSync(join(out, PRIVATE_KEY_FILE));
    writeFileSync(join(out, CERTIFICATE_FILE), 'keep me');
    await assert.rejects(keysGenerateCommand({ out }, io()), /certificate_pub\.crt already exists/);
  });

  test('bad --days and --bits are usage errors', async () => {
    await assert.rejects(keysGenerateCommand({ out: fresh(), days: 0 }, io()), /--days/);
    await assert.rejects(keysGenerateCommand({ out: fresh(), days: Number.NaN }, io()), /--days/);
    await assert.rejects(keysGenerateCommand({ out: fresh(), bits: 1024 }, io()), /--bits/);
  });
});
