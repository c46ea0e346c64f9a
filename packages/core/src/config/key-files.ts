/**
 * Key material: the key encryption key and the secret key, from the environment or from development key files.
 *
 * A missing key file is created with a fresh random key, mode 0600, atomically: the key is written to a private
 * temporary file that is then hard-linked to the final name. `link` never overwrites, so when two processes start
 * at once exactly one file wins and both read the same key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from './config-error.js';
import type { Config, KeySource } from './config-types.js';

export interface KeyMaterial {
  /** 32 bytes: AES-256-GCM key for stored private keys. */
  keyEncryptionKey: Buffer;
  /** ≥ 32 bytes: HMAC key for keyed hashes. */
  secretKey: Buffer;
}

interface KeyRule {
  env: string;
  min: number;
  max: number;
}

const rules = {
  keyEncryptionKey: { env: 'PIMS_KEY_ENCRYPTION_KEY', min: 32, max: 32 },
  secretKey: { env: 'PIMS_SECRET_KEY', min: 32, max: 1024 },
} as const satisfies Record<string, KeyRule>;

function errnoOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : 'unknown error';
}

function decode(text: string, rule: KeyRule, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length < rule.min || key.length > rule.max) {
    const size = rule.min === rule.max ? `${rule.min} bytes` : `${rule.min} to ${rule.max} bytes`;
    throw new ConfigError(`${where} must hold the base64 encoding of ${size}`, [rule.env]);
  }
  return key;
}

async function readKeyFile(path: string, rule: KeyRule): Promise<Buffer> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
        [rule.env],
      );
    }
  }
  return decode(await readFile(path, 'utf8'), rule, `key file ${path}`);
}

async function createKeyFile(path: string, rule: KeyRule): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temp, `${randomBytes(rule.min).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600); // the umask can only narrow the mode; make it exact
    await link(temp, path).catch((err: unknown) => {
      // EEXIST: another process created it first; its key is the one everybody uses.
      if (errnoOf(err) !== 'EEXIST') throw err;
    });
  } catch (err) {
    throw new ConfigError(
      `cannot create key file ${path}: directory ${dir} is not writable (${errnoOf(err)}); ` +
        `set ${rule.env} or choose another PIMS_DATA_DIR`,
      [rule.env],
      { cause: err },
    );
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readExisting(path: string, rule: KeyRule): Promise<Buffer | undefined> {
  try {
    return await readKeyFile(path, rule);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return undefined;
    throw new ConfigError(`cannot read key file ${path} (${errnoOf(err)})`, [rule.env], { cause: err });
  }
}

async function resolveKey(source: KeySource, rule: KeyRule): Promise<Buffer> {
  if (source.source === 'env') return decode(source.value.reveal(), rule, rule.env);
  const existing = await readExisting(source.path, rule);
  if (existing !== undefined) return existing;
  await createKeyFile(source.path, rule);
  const created = await readExisting(source.path, rule);
  if (created === undefined)
    throw new ConfigError(`key file ${source.path} vanished after it was created`, [rule.env]);
  return created;
}

/** Reads (or, for development key files, creates) the key material named by the config. */
export async function resolveKeyMaterial(
  config: Pick<Readonly<Config>, 'keyEncryptionKey' | 'secretKey'>,
): Promise<KeyMaterial> {
  return {
    keyEncryptionKey: await resolveKey(config.keyEncryptionKey, rules.keyEncryptionKey),
    secretKey: await resolveKey(config.secretKey, rules.secretKey),
  };
}
