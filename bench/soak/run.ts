/**
 * `npm run bench:soak` (DESIGN §4: no unbounded memory growth under a 10-minute load). The real IMS on SQLite and a
 * gateway in front of it, each in a child process, under a steady load from a third (soak-load.ts): JWT exchanges
 * with fresh assertions and gateway calls, at fixed rates, for `PIMS_SOAK_MINUTES`. Each server's memory is sampled
 * all along; the report gives it after warm-up and at the end, the second-half trend and a verdict, in a `soak`
 * section of docs/benchmarks.md. Not part of `npm run bench`.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChild, TS_EXEC_ARGV, type RunningChild } from '../lib/child.js';
import { machineInfo } from '../lib/machine.js';
import type { ImsInfo } from '../exchange/ims-server.js';
import { MemorySampler, type SampledServer } from './memory-sampler.js';
import { clock, finishSoak } from './soak-report.js';
import type { SoakLoadMessage, SoakLoadResult, SoakPlan, SoakProgress } from './soak-protocol.js';
import { soakSettings } from './soak-settings.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const settings = soakSettings();
const machine = machineInfo();
const seconds = settings.minutes * 60;
/** The children answer memory requests after a full GC. */
const SERVER_NODE_OPTIONS = ['--expose-gc'];

/** Runs the load child; `onStarted` when its sample checks passed and the load begins. */
function runSoakLoad(
  plan: SoakPlan,
  onStarted: () => void,
  onProgress: (progress: SoakProgress) => void,
): Promise<SoakLoadResult> {
  const child = fork(here('./soak-load.ts'), [], {
    execArgv: TS_EXEC_ARGV,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Sample checks, the load, and the requests still in flight at the end (10 s timeout each).
  const limitMs = (plan.seconds + 90) * 1000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: Error | SoakLoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) {
        child.kill('SIGKILL');
        reject(outcome);
      } else resolve(outcome);
    };
    const timer = setTimeout(
      () => finish(new Error(`the soak load did not finish within ${limitMs} ms`)),
      limitMs,
    );
    child.on('message', (message: SoakLoadMessage) => {
      if (message.type === 'ready') child.send({ type: 'run', plan });
      else if (message.type === 'started') onStarted();
      else if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'result') finish(message.result);
      else finish(new Error(`soak load failed: ${message.message}`));
    });
    child.once('exit', (code) => finish(new Error(`the soak load exited (${code}) without a result`)));
  });
}

const mb = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));

function progressLine(
  servers: readonly SampledServer[],
  t: number,
  progress: SoakProgress | undefined,
): string {
  const memory = servers.map((s) => {
    const last = s.samples.at(-1);
    return `${s.name} RSS ${mb(last?.rss)} MB, heap ${mb(last?.heap)} MB`;
  });
  const counts =
    progress === undefined
      ? ''
      : ` | exchanges ${progress.exchangeOk}, gateway calls ${progress.gatewayOk}, failures ${progress.failures}`;
  return `  ${clock(t)}  ${memory.join(' | ')}${counts}`;
}

async function withServer<T, R>(
  script: string,
  env: Record<string, string>,
  use: (child: RunningChild<T>) => Promise<R>,
): Promise<R> {
  const child = await startChild<T>(script, { env, execArgv: SERVER_NODE_OPTIONS });
  try {
    return await use(child);
  } finally {
    await child.stop();
  }
}

async function main(): Promise<boolean> {
  console.log(
    `bench:soak — ${settings.minutes} min, ${settings.exchangeRate} exchanges/s + ${settings.gatewayRate} gateway calls/s, ` +
      `memory every ${settings.sampleSeconds} s, load ${machine.loadAtStart}`,
  );
  return withServer<ImsInfo, boolean>(here('../exchange/ims-server.ts'), {}, (ims) =>
    withServer(here('./gateway-server.ts'), { PIMS_BENCH_IMS_URL: ims.url }, async (gateway) => {
      const servers: SampledServer[] = [
        { name: 'IMS', child: ims, samples: [] },
        { name: 'gateway', child: gateway, samples: [] },
      ];
      let progress: SoakProgress | undefined;
      const sampler = new MemorySampler(servers, settings.sampleSeconds, (t) =>
        console.log(progressLine(servers, t, progress)),
      );
      let load: SoakLoadResult;
      let ran: number;
      try {
        load = await runSoakLoad(
          {
            imsUrl: ims.url,
            gatewayUrl: gateway.url,
            credential: ims.info,
            seconds,
            exchangeRate: settings.exchangeRate,
            gatewayRate: settings.gatewayRate,
            progressSeconds: settings.sampleSeconds,
          },
          () => sampler.start(),
          (p) => {
            progress = p;
          },
        );
      } finally {
        ran = await sampler.stop();
      }
      return finishSoak({ settings, machine, load, servers, seconds: ran });
    }),
  );
}

// Bounded whatever happens: start-up (60 s per server), the load and its drain, and the shutdown.
const watchdog = setTimeout(
  () => {
    console.error(
      'bench:soak did not finish in time; exiting (the servers stop when their parent goes away)',
    );
    process.exit(1);
  },
  (seconds + 300) * 1000,
);
watchdog.unref();

main().then(
  (valid) => {
    if (!valid) console.log('INVALID RUN: some responses were not 2xx, or requests failed (see the tables).');
    process.exitCode = valid ? 0 : 1;
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
