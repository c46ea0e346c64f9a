/**
 * Tables for the console and docs/benchmarks.md. The doc has a common header (machine, Node, date) between
 * `<!-- bench:header:start -->`/`end` markers, and one section per bench between `<!-- bench:NAME:start -->`/`end`;
 * a bench rewrites the header and its own section only, and appends its section when it is not there yet.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load-types.js';
import { currentLoad, type MachineInfo } from './machine.js';

export const BENCHMARKS_DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

export interface CaseRow {
  name: string;
  result: LoadResult;
}

export interface TargetRow {
  name: string;
  /** The measured value (a ratio or milliseconds). */
  measured: number;
  /** `>=` bound for ratios, `<=` for latencies. */
  op: '>=' | '<=';
  bound: number;
  unit: 'x' | 'ms';
}

export const passes = (t: TargetRow) => (t.op === '>=' ? t.measured >= t.bound : t.measured <= t.bound);

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

export function markdownTable(head: string[], rows: string[][], align: Array<'l' | 'r'>): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(Math.max(1, w - 1))}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function casesTable(rows: readonly CaseRow[]): string {
  return markdownTable(
    ['case', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'requests', 'non-2xx', 'errors'],
    rows.map(({ name, result: r }) => [
      r.poolExhausted ? `${name} (pool used up after ${r.seconds.toFixed(1)} s)` : name,
      fmt(r.reqPerSec),
      ms(r.p50),
      ms(r.p99),
      r.serverCpuUs === undefined ? '—' : fmt(r.serverCpuUs),
      fmt(r.requests),
      fmt(r.non2xx),
      fmt(r.errors),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function targetsTable(rows: readonly TargetRow[]): string {
  return markdownTable(
    ['target', 'measured', 'required', 'result'],
    rows.map((t) => [
      t.name,
      t.unit === 'x' ? `${t.measured.toFixed(2)} ×` : `${ms(t.measured)} ms`,
      t.unit === 'x' ? `${t.op} ${t.bound.toFixed(2)} ×` : `${t.op} ${t.bound} ms`,
      passes(t) ? 'pass' : '**MISS**',
    ]),
    ['l', 'r', 'r', 'l'],
  );
}

export function headerMarkdown(machine: MachineInfo): string {
  return [
    `**Machine**: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM; Node ${machine.node}; ` +
      `last written ${machine.date.slice(0, 10)} by a server bench.`,
    '',
    'The server benches (exchange, gateway) run each server under test in a child process of its own and the load',
    "generator in another, all on 127.0.0.1: wrk (Debian's `wrk`, two threads, `bench/lib/wrk-load.lua`) when it is",
    'installed, else autocannon 8 (`PIMS_BENCH_LOADGEN` picks one). Our servers run the compiled packages (`dist/`, what an',
    'installed `pims` runs; each `npm run bench:*` builds them first). Every server is started first; each case gets a warm-up,',
    'then the measured rounds go round the cases in turn (round 1 of every case, then round 2, …), so a slow spell of',
    'the machine hits a round of every case rather than all rounds of one. The machine is a shared two-core VM whose',
    'speed drifts by tens of percent within minutes, so absolute numbers are noisy:',
    'the targets are ratios measured side by side in one run, and each section gives the load average of its run.',
    '"server CPU µs/req" is the CPU time the server process used (all its threads: event loop, the libuv pool doing',
    'RSA, GC helpers) per request during the measured run, read from `/proc`: it says what a request costs whatever',
    'else the machine was doing, which req/s on a shared two-core box does not.',
    'Settings: `PIMS_BENCH_SECONDS` (measured seconds per case, 10), `PIMS_BENCH_WARMUP` (3), `PIMS_BENCH_ROUNDS` (1; the',
    'best of N interleaved measured rounds per case is reported, against interference), `PIMS_BENCH_CONNECTIONS`',
    '(50), `PIMS_BENCH_LOADGEN` (`wrk` or `autocannon`), `PIMS_BENCH_CPU_PROF=<dir>` (CPU profiles of the servers;',
    'their top self time is added to the section), `PIMS_BENCH_COMPARE_WITH=<dir>` (exchange only: the IMS of another',
    'built checkout, measured as one more case in the same rounds, to tell a change from drift),',
    '`PIMS_BENCH_NODE_ARGS` (Node options for every server under test, e.g. `--trace-gc`), `PIMS_BENCH_NO_DOC=1`',
    '(print only).',
  ].join('\n');
}

/** Where a bench's run happened and how it was set up: the first lines of its section. */
export function runLine(
  machine: MachineInfo,
  settings: {
    seconds: number;
    warmupSeconds: number;
    connections: number;
    rounds: number;
    loadGenerator: { version: string };
  },
): string {
  return (
    `Run ${machine.date.replace('T', ' ').slice(0, 16)} UTC on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, ` +
    `load from ${settings.loadGenerator.version}, ${settings.connections} connections, ` +
    `${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured per case` +
    (settings.rounds > 1 ? ` (best of ${settings.rounds} rounds, interleaved across the cases)` : '') +
    `; 1-minute load average ` +
    `${machine.loadAtStart} at the start, ${currentLoad()} at the end.`
  );
}

/** Index of a marker that stands on a line of its own (markers quoted in prose do not count). */
function markerAt(text: string, marker: string, from = 0): number {
  for (let i = text.indexOf(marker, from); i !== -1; i = text.indexOf(marker, i + 1)) {
    const lineStart = i === 0 || text[i - 1] === '\n';
    const end = i + marker.length;
    const lineEnd = end === text.length || text[end] === '\n' || text[end] === '\r';
    if (lineStart && lineEnd) return i;
  }
  return -1;
}

function replaceBetween(text: string, name: string, body: string): string | undefined {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = markerAt(text, start);
  const to = from === -1 ? -1 : markerAt(text, end, from);
  if (from === -1 || to === -1) return undefined;
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

const block = (name: string, body: string) =>
  `<!-- bench:${name}:start -->\n${body}\n<!-- bench:${name}:end -->`;

/**
 * Rewrites the common header and this bench's section of docs/benchmarks.md (creating the file if needed). A missing
 * header goes before the first section, a missing section at the end.
 */
export function writeBenchSection(
  name: string,
  section: string,
  machine: MachineInfo,
  doc = BENCHMARKS_DOC,
): void {
  let text = existsSync(doc)
    ? readFileSync(doc, 'utf8')
    : '# Benchmarks\n\nSide-by-side measurements of DESIGN.md §4, produced by the scripts in `bench/` (`npm run bench`).\n';
  const header = headerMarkdown(machine);
  text = replaceBetween(text, 'header', header) ?? insertHeader(text, block('header', header));
  text = replaceBetween(text, name, section) ?? `${text.trimEnd()}\n\n${block(name, section)}\n`;
  writeFileSync(doc, text);
}

function insertHeader(text: string, header: string): string {
  const first = text.search(/^<!-- bench:[a-z]+:start -->$/m);
  return first === -1
    ? `${text.trimEnd()}\n\n${header}\n`
    : `${text.slice(0, first)}${header}\n\n${text.slice(first)}`;
}
