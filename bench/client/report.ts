/**
 * The client bench's table and its section of docs/benchmarks.md, between `<!-- bench:client:start -->` and
 * `<!-- bench:client:end -->`; the rest of the document is left as it is (the section is appended when missing).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const START = '<!-- bench:client:start -->';
const END = '<!-- bench:client:end -->';

export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  date: string;
  /** 1-minute load average when the run started (other work on the machine skews the numbers). */
  load: number;
}

export interface Row {
  name: string;
  pims: string;
  reference: string;
  /** pims ÷ reference, when both are rates. */
  ratio?: number;
  target: string;
  met?: boolean;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    load: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function table(rows: readonly Row[]): string {
  const head = ['case', '@pims/client', '@adobe/jwt-auth', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.name,
    r.pims,
    r.reference,
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met === undefined ? '—' : r.met ? 'yes' : 'no',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

/** Rewrites the Client section with this run's machine, date and rows; returns the table. */
export function writeSection(info: Machine, rows: readonly Row[], note: string): string {
  const rendered = table(rows);
  const section = [
    START,
    '## Client',
    '',
    `Measured ${info.date} on ${info.cpuModel} (${info.cores} cores), Node ${info.node}, 1-minute load average ${info.load} at the start, by \`npm run bench:client\`.`,
    '',
    rendered,
    '',
    note,
    END,
  ].join('\n');
  const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${doc.slice(0, start)}${section}${doc.slice(end + END.length)}`
      : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, next);
  return rendered;
}
