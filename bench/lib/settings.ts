/** Bench settings from the environment; every run is bounded in time. */
import { wrkVersion } from './load-wrk.js';

/** A number from the environment variable `name`, `fallback` when unset; out of range (or not whole) is an error. */
export function numberFromEnv(
  name: string,
  fallback: number,
  min: number,
  max: number,
  options: { integer?: boolean } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  const integer = options.integer ?? false;
  if (!(integer ? Number.isInteger(value) : Number.isFinite(value)) || value < min || value > max) {
    throw new Error(
      `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

const intFromEnv = (name: string, fallback: number, min: number, max: number) =>
  numberFromEnv(name, fallback, min, max, { integer: true });

export interface BenchSettings {
  /** Measured seconds per case (`PIMS_BENCH_SECONDS`, default 10). */
  seconds: number;
  /** Warm-up seconds per case before the measured run (`PIMS_BENCH_WARMUP`, default 3). */
  warmupSeconds: number;
  /** Measured runs per case after one warm-up; the best (highest req/s) is reported (`PIMS_BENCH_ROUNDS`, default 1). */
  rounds: number;
  /** Concurrent connections (`PIMS_BENCH_CONNECTIONS`, default 50). */
  connections: number;
  /** Write a CPU profile of each server under test into this directory (`PIMS_BENCH_CPU_PROF`). */
  cpuProfDir: string | undefined;
  /** Do not rewrite docs/benchmarks.md (`PIMS_BENCH_NO_DOC=1`). */
  writeDoc: boolean;
  /** Extra Node options for every server under test (`PIMS_BENCH_NODE_ARGS`, space-separated, e.g. `--trace-gc`). */
  serverNodeArgs: string[];
  /** `PIMS_BENCH_LOADGEN`: `wrk` (the default when it is installed) or `autocannon`. */
  loadGenerator: LoadGenerator;
}

export type LoadGenerator = { name: 'wrk'; version: string } | { name: 'autocannon'; version: string };

/** wrk when installed (or asked for: then it must be), autocannon when asked for or as the fallback, said aloud. */
function loadGenerator(): LoadGenerator {
  const asked = process.env.PIMS_BENCH_LOADGEN?.trim() ?? '';
  if (asked !== '' && asked !== 'wrk' && asked !== 'autocannon') {
    throw new Error(`PIMS_BENCH_LOADGEN must be wrk or autocannon (got ${JSON.stringify(asked)})`);
  }
  const autocannon = { name: 'autocannon', version: 'autocannon 8' } as const;
  if (asked === 'autocannon') return autocannon;
  const version = wrkVersion();
  if (version !== undefined) return { name: 'wrk', version };
  if (asked === 'wrk')
    throw new Error('PIMS_BENCH_LOADGEN=wrk, but wrk is not installed (apt-get install wrk)');
  console.warn(
    'bench: wrk is not installed (apt-get install wrk); using autocannon, which takes several times more CPU per request from the servers it shares the machine with',
  );
  return autocannon;
}

export function benchSettings(): BenchSettings {
  const cpuProfDir = process.env.PIMS_BENCH_CPU_PROF;
  return {
    seconds: intFromEnv('PIMS_BENCH_SECONDS', 10, 1, 600),
    warmupSeconds: intFromEnv('PIMS_BENCH_WARMUP', 3, 0, 120),
    rounds: intFromEnv('PIMS_BENCH_ROUNDS', 1, 1, 20),
    connections: intFromEnv('PIMS_BENCH_CONNECTIONS', 50, 1, 1000),
    cpuProfDir: cpuProfDir === undefined || cpuProfDir === '' ? undefined : cpuProfDir,
    writeDoc: process.env.PIMS_BENCH_NO_DOC !== '1',
    loadGenerator: loadGenerator(),
    serverNodeArgs: (process.env.PIMS_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== ''),
  };
}
