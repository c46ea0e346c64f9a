/**
 * The load generator, in a process of its own: one autocannon run against one server. With a pool, every request
 * takes the next line (a unique body or bearer token) through `setupRequest`; the run ends before a line would be
 * used twice. Latency is kept in a microsecond histogram (autocannon's own is whole ms).
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { createHistogram } from 'node:perf_hooks';
import type { LoadRequest, LoadResult } from './load-types.js';

function readPool(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const pool = request.pool === undefined ? undefined : readPool(request.pool.file);
  const asBearer = request.pool?.as === 'bearer';
  const baseHeaders = { ...request.headers };
  let cursor = 0;
  const latency = createHistogram();
  // With a pool, autocannon's `amount` ends the run when the pool is used (each client stops after its share), kept
  // `connections` lines short of the end so a request built but not sent never makes a line go twice; a timer ends it
  // when the time is up. A short sample interval makes the end noticed within 0.1 s.
  const amount =
    pool === undefined ? undefined : Math.max(request.connections, pool.length - request.connections);

  const setupRequest = (req: autocannon.Request): autocannon.Request => {
    if (pool === undefined) return req;
    const line = pool[cursor % pool.length] ?? '';
    cursor++;
    if (asBearer) req.headers = { ...baseHeaders, authorization: `Bearer ${line}` };
    else req.body = line;
    return req;
  };

  const instance = autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    sampleInt: 100,
    ...(amount === undefined ? {} : { amount }),
    requests: [
      {
        method: request.method,
        path: request.path,
        headers: baseHeaders,
        ...(request.body === undefined ? {} : { body: request.body }),
        setupRequest,
      },
    ],
  });
  let timeUp = false;
  const timer =
    amount === undefined
      ? undefined
      : setTimeout(() => {
          timeUp = true;
          instance.stop();
        }, request.seconds * 1000);
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latency.record(Math.max(1, Math.round(responseTime * 1000)));
  });
  const cpuBefore = process.cpuUsage();
  const result = await instance;
  const cpu = process.cpuUsage(cpuBefore);
  clearTimeout(timer);
  const poolExhausted = amount !== undefined && !timeUp;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats)) statusCodes[code] = Number(stats.count);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    reqPerSec: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50: latency.percentile(50) / 1000,
    p99: latency.percentile(99) / 1000,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
    poolExhausted,
    loaderCpuUs: result.requests.total > 0 ? (cpu.user + cpu.system) / result.requests.total : 0,
  };
}

process.on('message', (message: { type: 'run'; request: LoadRequest }) => {
  if (message.type !== 'run') return;
  run(message.request).then(
    (result) => {
      process.send?.({ type: 'result', result }, () => process.exit(0));
    },
    (err: unknown) => {
      process.send?.({ type: 'error', message: err instanceof Error ? err.stack : String(err) }, () =>
        process.exit(1),
      );
    },
  );
});
process.on('disconnect', () => process.exit(1));
process.send?.({ type: 'ready' });
