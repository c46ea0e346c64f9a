/**
 * Pools of pre-signed RS256 JWTs (assertions or access tokens), one per line in a temporary file, so the load
 * generator never signs anything while it measures. Signing runs on libuv's thread pool (`crypto.sign` with a
 * callback), a bounded number at a time, and uses every core before the measured runs start.
 */
import { sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signAsync(data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, key, (err, signature) => (err === null ? resolve(signature) : reject(err)));
  });
}

/** `count` compact RS256 JWTs; `claims(i)` gives the claims of the i-th. */
export async function signJwts(
  count: number,
  key: KeyObject,
  header: Record<string, unknown>,
  claims: (i: number) => Record<string, unknown>,
): Promise<string[]> {
  const encodedHeader = b64url({ ...header, alg: 'RS256' });
  const out = new Array<string>(count);
  const inFlight = 64;
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const input = `${encodedHeader}.${b64url(claims(i))}`;
      const signature = await signAsync(Buffer.from(input), key);
      out[i] = `${input}.${signature.toString('base64url')}`;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return out;
}

/** A temporary directory for pool files, removed by `dispose`. */
export class PoolDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'pims-bench-'));
  #n = 0;

  write(lines: readonly string[]): string {
    const file = join(this.dir, `pool-${++this.#n}.txt`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A run-unique prefix for `jti`s. */
export const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36)}`;
