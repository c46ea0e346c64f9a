/** One case of a bench: sample check, warm-up, measured run, each pool signed before the load that uses it. */
import { mainThreadCpuUs, processCpuUs } from './cpu.js';
import { runLoad, type LoadRequest, type LoadResult } from './load.js';
import type { PoolDir } from './pool.js';
import type { BenchSettings } from './settings.js';

export interface CaseSpec {
  name: string;
  /** The server's process, whose CPU time per request is reported. */
  serverPid?: number;
  request: Omit<LoadRequest, 'seconds' | 'pool' | 'connections'>;
  /** Unique bodies or bearer tokens, one per request. */
  pool?: {
    as: 'body' | 'bearer';
    make(count: number): Promise<string[]>;
    /** Expected req/s, to size the warm-up pool (the measured pool is sized from the warm-up's rate). */
    guessRate: number;
    /** A floor for the measured pool's rate, e.g. a baseline measured just before. */
    floorRate?: number;
  };
}

/** A warm-up is often slower than the measured run (JIT, a busy machine): twice its rate, plus slack. */
function poolSize(rate: number, seconds: number, connections: number): number {
  return Math.ceil(Math.max(rate, 200) * seconds * 2) + 2 * connections;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

interface PreparedCase {
  spec: CaseSpec;
  /** Best rate seen so far, to size the next pool. */
  rate: number;
  best: LoadResult | undefined;
}

function poolMaker(spec: CaseSpec, pools: PoolDir) {
  return async (count: number) => {
    if (spec.pool === undefined) return {};
    const started = Date.now();
    const file = pools.write(await spec.pool.make(count));
    console.log(
      `  ${spec.name}: signed ${count} ${spec.pool.as === 'body' ? 'assertions' : 'tokens'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { pool: { file, as: spec.pool.as } };
  };
}

async function warmUp(spec: CaseSpec, settings: BenchSettings, pools: PoolDir): Promise<PreparedCase> {
  let rate = spec.pool?.guessRate ?? 0;
  if (settings.warmupSeconds > 0) {
    const warm = await runLoad({
      ...spec.request,
      connections: settings.connections,
      generator: settings.loadGenerator.name,
      seconds: settings.warmupSeconds,
      ...(await poolMaker(spec, pools)(poolSize(rate, settings.warmupSeconds, settings.connections))),
    });
    rate = Math.max(warm.reqPerSec, spec.pool?.floorRate ?? 0);
    console.log(`  ${spec.name}: warm-up ${Math.round(warm.reqPerSec)} req/s, non-2xx ${warm.non2xx}`);
  }
  return { spec, rate, best: undefined };
}

async function measureRound(
  prepared: PreparedCase,
  round: number,
  settings: BenchSettings,
  pools: PoolDir,
): Promise<void> {
  const { spec } = prepared;
  const pool = await poolMaker(spec, pools)(poolSize(prepared.rate, settings.seconds, settings.connections));
  const start = nowUs();
  const pid = spec.serverPid;
  const cpuBefore = pid === undefined ? undefined : processCpuUs(pid);
  const mainBefore = pid === undefined ? undefined : mainThreadCpuUs(pid);
  const result: LoadResult = {
    ...(await runLoad({
      ...spec.request,
      connections: settings.connections,
      generator: settings.loadGenerator.name,
      seconds: settings.seconds,
      ...pool,
    })),
  };
  result.window = [start, nowUs()];
  const cpuAfter = pid === undefined ? undefined : processCpuUs(pid);
  const mainAfter = pid === undefined ? undefined : mainThreadCpuUs(pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0) {
    result.serverCpuUs = (cpuAfter - cpuBefore) / result.requests;
  }
  if (mainBefore !== undefined && mainAfter !== undefined && result.requests > 0) {
    result.mainThreadCpuUs = (mainAfter - mainBefore) / result.requests;
  }
  prepared.rate = Math.max(prepared.rate, result.reqPerSec);
  console.log(
    `  ${spec.name}${settings.rounds > 1 ? ` (round ${round})` : ''}: ${Math.round(result.reqPerSec)} req/s, ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
      `${result.serverCpuUs === undefined ? '' : `server CPU ${Math.round(result.serverCpuUs)} µs/req (main thread ${Math.round(result.mainThreadCpuUs ?? 0)}; load generator ${Math.round(result.loaderCpuUs ?? 0)}), `}` +
      `non-2xx ${result.non2xx}, errors ${result.errors}${result.poolExhausted ? ' (pool used up early)' : ''}`,
  );
  // An invalid round is kept whatever its rate, so that the run shows it.
  const invalid = (r: LoadResult) => r.non2xx > 0 || r.errors > 0;
  const { best } = prepared;
  if (best === undefined || (!invalid(best) && (invalid(result) || result.reqPerSec > best.reqPerSec))) {
    prepared.best = result;
  }
}

/**
 * Every case warmed up, then `settings.rounds` rounds that each measure every case once, in the given order; the best
 * round of each case is reported. Interleaving rounds across cases, rather than running one case's rounds back to
 * back, means a slow spell of a shared machine hits some round of every case instead of every round of one.
 */
export async function measureInterleaved(
  specs: readonly CaseSpec[],
  settings: BenchSettings,
  pools: PoolDir,
): Promise<LoadResult[]> {
  const prepared: PreparedCase[] = [];
  for (const spec of specs) prepared.push(await warmUp(spec, settings, pools));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const entry of prepared) await measureRound(entry, round, settings, pools);
  }
  return prepared.map((entry) => {
    if (entry.best === undefined) throw new Error(`${entry.spec.name}: no measured round`);
    return entry.best;
  });
}

/** One case on its own: warm-up, then its rounds. */
export async function measureCase(
  spec: CaseSpec,
  settings: BenchSettings,
  pools: PoolDir,
): Promise<LoadResult> {
  const [result] = await measureInterleaved([spec], settings, pools);
  if (result === undefined) throw new Error(`${spec.name}: no measured round`);
  return result;
}

/** Fails when a response is not what a valid run needs (checked on one request before the load). */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`sample check failed: ${message}`);
}
