/**
 * The load generator of choice: wrk (Debian's `wrk`, C, epoll), two threads, driven by `wrk-load.lua`. It costs the
 * shared two-core machine a fraction of what autocannon does per request, and has no garbage collector of its own to
 * pause the clock, so the servers get the CPU and the latency tail is theirs. Its CPU time is read with the shell's
 * `times` after it exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './load-types.js';

const SCRIPT = fileURLToPath(new URL('./wrk-load.lua', import.meta.url));
const THREADS = 2;

/** The wrk version line, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) return undefined;
  const line = `${probe.stdout}${probe.stderr}`.split('\n')[0] ?? '';
  return /^wrk /.test(line) ? line.replace(/ Copyright.*$/, '').trim() : undefined;
}

interface WrkFigures {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  status: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  exhausted: number;
}

/** `times` prints the shell's user/system time, then its children's: `0m1.234s 0m0.567s`. */
function childCpuUs(timesOutput: string): number | undefined {
  const lines = timesOutput.trim().split('\n');
  const match = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? '');
  if (match === null) return undefined;
  const [, um = '0', us = '0', sm = '0', ss = '0'] = match;
  return (Number(um) * 60 + Number(us) + Number(sm) * 60 + Number(ss)) * 1_000_000;
}

function requestFile(dir: string, request: LoadRequest): string {
  const file = join(dir, 'request.txt');
  const headers = Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
  const body = request.body === undefined ? [] : ['', request.body];
  writeFileSync(file, `${[request.method, request.path, ...headers, ...body].join('\n')}\n`);
  return file;
}

export function runWrk(request: LoadRequest): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pims-wrk-'));
  const args = [
    `-t${THREADS}`,
    `-c${request.connections}`,
    `-d${request.seconds}s`,
    '--timeout',
    '10s',
    '-s',
    SCRIPT,
    request.url,
    '--',
    requestFile(dir, request),
    String(THREADS),
    ...(request.pool === undefined ? [] : [request.pool.file, request.pool.as]),
  ];
  // wrk in a shell whose `times` reports the CPU wrk used; the exit status stays wrk's.
  const child = spawn('bash', ['-c', 'wrk "$@"; status=$?; times; exit $status', 'wrk', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  const limitMs = (request.seconds + 60) * 1000;
  return new Promise<LoadResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const line = output.split('\n').find((l) => l.startsWith('PIMS_WRK_RESULT '));
      if (code !== 0 || line === undefined) {
        reject(
          new Error(`wrk against ${request.url}${request.path} failed (${code}): ${output.slice(-500)}`),
        );
        return;
      }
      const figures = JSON.parse(line.slice('PIMS_WRK_RESULT '.length)) as WrkFigures;
      const seconds = figures.durationUs / 1_000_000;
      const cpu = childCpuUs(output.slice(output.indexOf(line) + line.length));
      resolve({
        requests: figures.requests,
        seconds,
        reqPerSec: seconds > 0 ? figures.requests / seconds : 0,
        p50: figures.p50Us / 1000,
        p99: figures.p99Us / 1000,
        non2xx: figures.status,
        errors: figures.connect + figures.read + figures.write + figures.timeout,
        statusCodes: {},
        poolExhausted: figures.exhausted > 0,
        ...(cpu === undefined || figures.requests === 0 ? {} : { loaderCpuUs: cpu / figures.requests }),
      });
    });
  });
}
