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

export async function measureCase(
  spec: CaseSpec,
  settings: BenchSettings,
  pools: PoolDir,
): Promise<LoadResult> {
  const base = { ...spec.request, connections: settings.connections };
  const poolFor = async (count: number) => {
    if (spec.pool === undefined) return {};
    const started = Date.now();
    const file = pools.write(await spec.pool.make(count));
    console.log(
      `  ${spec.name}: signed ${count} ${spec.pool.as === 'body' ? 'assertions' : 'tokens'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { pool: { file, as: spec.pool.as } };
  };
  let rate = spec.pool?.guessRate ?? 0;
  if (settings.warmupSeconds > 0) {
    const warm = await runLoad({
      ...base,
      seconds: settings.warmupSeconds,
      ...(await poolFor(poolSize(rate, settings.warmupSeconds, settings.connections))),
    });
    rate = Math.max(warm.reqPerSec, spec.pool?.floorRate ?? 0);
    console.log(`  ${spec.name}: warm-up ${Math.round(warm.reqPerSec)} req/s, non-2xx ${warm.non2xx}`);
  }
  let best: LoadResult | undefined;
  for (let round = 1; round <= settings.rounds; round++) {
    const pool = await poolFor(poolSize(rate, settings.seconds, settings.connections));
    const start = nowUs();
    const cpuBefore = spec.serverPid === undefined ? undefined : processCpuUs(spec.serverPid);
    const mainBefore = spec.serverPid === undefined ? undefined : mainThreadCpuUs(spec.serverPid);
    const result: LoadResult = { ...(await runLoad({ ...base, seconds: settings.seconds, ...pool })) };
    result.window = [start, nowUs()];
    const cpuAfter = spec.serverPid === undefined ? undefined : processCpuUs(spec.serverPid);
    const mainAfter = spec.serverPid === undefined ? undefined : mainThreadCpuUs(spec.serverPid);
    if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0) {
      result.serverCpuUs = (cpuAfter - cpuBefore) / result.requests;
    }
    if (mainBefore !== undefined && mainAfter !== undefined && result.requests > 0) {
      result.mainThreadCpuUs = (mainAfter - mainBefore) / result.requests;
    }
    rate = Math.max(rate, result.reqPerSec);
    console.log(
      `  ${spec.name}${settings.rounds > 1 ? ` (round ${round})` : ''}: ${Math.round(result.reqPerSec)} req/s, ` +
        `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
        `${result.serverCpuUs === undefined ? '' : `server CPU ${Math.round(result.serverCpuUs)} µs/req (main thread ${Math.round(result.mainThreadCpuUs ?? 0)}; load generator ${Math.round(result.loaderCpuUs ?? 0)}), `}` +
        `non-2xx ${result.non2xx}, errors ${result.errors}${result.poolExhausted ? ' (pool used up early)' : ''}`,
    );
    // An invalid round is kept whatever its rate, so that the run shows it.
    const invalid = (r: LoadResult) => r.non2xx > 0 || r.errors > 0;
    if (best === undefined || (!invalid(best) && (invalid(result) || result.reqPerSec > best.reqPerSec)))
      best = result;
  }
  if (best === undefined) throw new Error('no measured round');
  return best;
}

/** Fails when a response is not what a valid run needs (checked on one request before the load). */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`sample check failed: ${message}`);
}
