/** Runs one load run with wrk (lib/load-wrk.ts) or autocannon (in the child process lib/load-worker.ts). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_EXEC_ARGV } from './child.js';
import type { LoadRequest, LoadResult } from './load-types.js';
import { runWrk } from './load-wrk.js';

export type { LoadRequest, LoadResult } from './load-types.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

type WorkerMessage =
  { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'error'; message: string };

export function runLoad(request: LoadRequest): Promise<LoadResult> {
  return request.generator === 'wrk' ? runWrk(request) : runAutocannon(request);
}

function runAutocannon(request: LoadRequest): Promise<LoadResult> {
  const child = fork(WORKER, [], { execArgv: TS_EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A run never takes much longer than asked; a hung one is killed.
  const limitMs = (request.seconds + 60) * 1000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`load run against ${request.url}${request.path} did not finish within ${limitMs} ms`));
    }, limitMs);
    const finish = (outcome: Error | LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') child.send({ type: 'run', request });
      else if (message.type === 'result') finish(message.result);
      else finish(new Error(`load generator failed: ${message.message}`));
    });
    child.once('exit', (code) => finish(new Error(`load generator exited (${code}) without a result`)));
  });
}
