/** The soak's tables, verdicts and its section of docs/benchmarks.md (between the `soak` markers). */
import { currentLoad, type MachineInfo } from '../lib/machine.js';
import { markdownTable, writeBenchSection } from '../lib/report.js';
import { slopePerMinute, valueAt, type MemorySample, type Metric } from './memory-trend.js';
import type { SoakLoadResult, StreamResult } from './soak-protocol.js';
import type { SoakSettings } from './soak-settings.js';

/**
 * Second-half slopes (MB/min) under which a server counts as bounded. The heap after GC is the leak detector: at the
 * default 1,200 requests/s, 0.5 MB/min is 7 bytes per request, less than anything kept per request (a Map entry, a
 * closure, a string), while a healthy heap after GC, caches full, is flat to about 0.1 MB/min. The resident set moves
 * in steps of 5–15 MB as V8 and the allocator take and give back pages, and one step of s MB in the middle of the
 * window reads as a slope of 0.3·s MB/min over 5 minutes: its bound, 2 MB/min (a native leak of 3 GB a day), lets a
 * step of about 6 MB pass.
 */
const BOUNDS: Record<Metric, number> = { rss: 2, heap: 0.5 };
/** Below this length the second half may still hold warm-up (the token cache fills in ~50 s): indicative only. */
const MIN_CONCLUSIVE_MINUTES = 4;

export interface ServerMemory {
  name: string;
  samples: MemorySample[];
}

export interface SoakOutcome {
  settings: SoakSettings;
  machine: MachineInfo;
  load: SoakLoadResult;
  servers: ServerMemory[];
  /** Seconds of load, as run. */
  seconds: number;
}

const METRICS: Array<{ metric: Metric; label: string }> = [
  { metric: 'rss', label: 'resident set (VmRSS)' },
  { metric: 'heap', label: 'V8 heap after GC' },
];

const mb = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(1)} MB`);
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
/** `m:ss`. */
export function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
const count = (n: number) => n.toLocaleString('en-US');

const isValid = (load: SoakLoadResult) =>
  [load.exchange, load.gateway].every((s) => s.non2xx === 0 && s.errors === 0);

/** When "after warm-up" is: the end of minute 1, or half-way through a run shorter than two minutes. */
const warmMark = (seconds: number) => Math.min(60, seconds / 2);

interface Verdict {
  name: string;
  bounded: boolean | undefined;
  rows: string[][];
}

function verdictOf(server: ServerMemory, seconds: number): Verdict {
  const checks = METRICS.map(({ metric, label }) => {
    const slope = slopePerMinute(server.samples, metric, seconds / 2);
    const under = slope === undefined ? undefined : slope < BOUNDS[metric];
    const row = [
      server.name,
      label,
      mb(valueAt(server.samples, metric, warmMark(seconds))),
      mb(valueAt(server.samples, metric, seconds)),
      slope === undefined ? '—' : `${signed(slope)} MB/min`,
      `< ${BOUNDS[metric]} MB/min`,
      under === undefined ? 'no data' : under ? 'within' : '**over**',
    ];
    return { under, row };
  });
  const bounded = checks.some((c) => c.under === undefined)
    ? undefined
    : checks.every((c) => c.under === true);
  return { name: server.name, bounded, rows: checks.map((c) => c.row) };
}

function trendTable(verdicts: readonly Verdict[], seconds: number): string {
  return markdownTable(
    [
      'server',
      'memory',
      `at ${clock(warmMark(seconds))}`,
      `end (${clock(seconds)})`,
      'slope, 2nd half',
      'bound',
      '',
    ],
    verdicts.flatMap((v) => v.rows),
    ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
  );
}

/** Memory over time: every minute, or six points of a run under three minutes. */
function seriesTable(servers: readonly ServerMemory[], seconds: number): string {
  const step = seconds >= 180 ? 60 : seconds / 6;
  const marks: number[] = [];
  for (let t = 0; t < seconds - step / 2; t += step) marks.push(t);
  marks.push(seconds);
  return markdownTable(
    ['time', ...servers.flatMap((s) => [`${s.name} RSS`, `${s.name} heap after GC`])],
    marks.map((t) => [
      clock(t),
      ...servers.flatMap((s) => [mb(valueAt(s.samples, 'rss', t)), mb(valueAt(s.samples, 'heap', t))]),
    ]),
    ['l', ...servers.flatMap((): Array<'r'> => ['r', 'r'])],
  );
}

function loadTable(load: SoakLoadResult): string {
  const row = (name: string, s: StreamResult) => [
    name,
    `${count(s.rate)}/s`,
    `${(s.requests / s.seconds).toFixed(1)}/s`,
    count(s.requests),
    s.p50.toFixed(2),
    s.p99.toFixed(2),
    s.max.toFixed(1),
    count(s.non2xx),
    count(s.errors),
    count(s.dropped),
  ];
  return markdownTable(
    ['stream', 'asked', 'achieved', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'dropped'],
    [
      row('IMS `POST /ims/exchange/jwt`, fresh assertion', load.exchange),
      row('gateway `GET /v3/customers`', load.gateway),
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function verdictLine(verdicts: readonly Verdict[], minutes: number): string {
  const words = verdicts.map(
    (v) =>
      `${v.name} **${v.bounded === undefined ? 'not judged (too few samples)' : v.bounded ? 'bounded' : 'GROWING'}**`,
  );
  const short =
    minutes < MIN_CONCLUSIVE_MINUTES
      ? ` — indicative only: a run under ${MIN_CONCLUSIVE_MINUTES} minutes may still be warming up in its second half`
      : '';
  return `Verdict: ${words.join(', ')}${short}.`;
}

interface Rendered {
  valid: boolean;
  /** The tables and notes, for the console. */
  text: string;
  /** The section of docs/benchmarks.md. */
  section: string;
}

export function renderSoak(outcome: SoakOutcome): Rendered {
  const { settings, machine, load, servers, seconds } = outcome;
  const valid = isValid(load);
  const verdicts = servers.map((s) => verdictOf(s, seconds));
  const minutes = seconds / 60;
  const tables = [trendTable(verdicts, seconds), seriesTable(servers, seconds), loadTable(load)];
  const failures = [load.exchange, load.gateway].flatMap((s) =>
    s.firstFailure === undefined ? [] : [`\`${s.firstFailure.replace(/`/g, "'")}\``],
  );
  const notes = [
    verdictLine(verdicts, minutes),
    ...(valid
      ? []
      : [
          `**Invalid run**: some responses were not 2xx, or requests failed (first: ${failures.join('; ')}); the memory figures do not count.`,
        ]),
  ];
  const section = [
    '## Soak: memory under load (`npm run bench:soak`)',
    '',
    `Run ${machine.date.replace('T', ' ').slice(0, 16)} UTC on ${machine.cpuModel} (${machine.cores} cores), Node ` +
      `${machine.node}: ${minutes.toFixed(1)} min of steady load, memory sampled every ${settings.sampleSeconds} s; ` +
      `1-minute load average ${machine.loadAtStart} at the start, ${currentLoad()} at the end.`,
    '',
    'DESIGN §4: no unbounded memory growth under a 10-minute load. The real IMS (`startServer` on SQLite through the',
    "test kit's harness, the demo credential) and the gateway (`startGateway` in front of it: its keys, revocation feed",
    'and issuer; in-process sample upstream; per-client rate limit off) each run in a child process with `--expose-gc`.',
    `A third process sends ${count(settings.exchangeRate)} JWT exchanges/s, each with a fresh assertion (unique \`jti\`,`,
    `signed during the run), and ${count(settings.gatewayRate)} gateway calls/s: each exchange's access token is sent once`,
    `(${count(load.gateway.freshTokens)} first sights, so the 10,000-entry verified-token cache keeps evicting), the others`,
    "repeat 10 tokens. Each sample reads a server's resident set from `/proc/<pid>/status`, then asks the server for its",
    'V8 heap right after a full GC (the live objects, which a leak makes grow); those GCs add pauses, so the latencies',
    'here are not comparable with the sections above. "Slope" is the least-squares trend over the second half of the run,',
    `after the caches have filled. A server is bounded when it stays under ${BOUNDS.heap} MB/min for the heap after GC (at`,
    `1,200 requests/s, 7 bytes per request: less than anything a per-request leak keeps; a healthy heap is flat to about`,
    `0.1 MB/min) and under ${BOUNDS.rss} MB/min for the resident set, which moves in steps of 5–15 MB as V8 and the`,
    'allocator take and give back pages (one step of 6 MB mid-window reads as 2 MB/min; 2 MB/min is a native leak of',
    '3 GB a day). Settings: `PIMS_SOAK_MINUTES` (10; fractions allowed), `PIMS_SOAK_EXCHANGE_RATE` (200),',
    '`PIMS_SOAK_GATEWAY_RATE` (1000), `PIMS_BENCH_NO_DOC=1`. Not part of `npm run bench`.',
    '',
    ...tables.flatMap((t) => [t, '']),
    ...notes,
  ].join('\n');
  return { valid, text: `${tables.join('\n\n')}\n\n${notes.join('\n')}`, section };
}

/** Prints the tables; writes the doc section unless `PIMS_BENCH_NO_DOC=1`. Returns whether the run is valid. */
export function finishSoak(outcome: SoakOutcome): boolean {
  const { valid, text, section } = renderSoak(outcome);
  console.log(`\n${text}\n`);
  if (outcome.settings.writeDoc) writeBenchSection('soak', section, outcome.machine);
  console.log(
    `load ${currentLoad()} at the end${outcome.settings.writeDoc ? '; docs/benchmarks.md updated' : ''}`,
  );
  return valid;
}
