/** What both server benches share: a child per server under test, and the final table, targets and doc section. */
import { startChild, type RunningChild } from './child.js';
import type { LoadResult } from './load.js';
import { currentLoad, type MachineInfo } from './machine.js';
import { profileFile, topSelfTime } from './profile.js';
import {
  casesTable,
  passes,
  runLine,
  targetsTable,
  writeBenchSection,
  type CaseRow,
  type TargetRow,
} from './report.js';
import type { BenchSettings } from './settings.js';

/** Starts `script` in a child (with `--cpu-prof` when asked) that the caller stops; for cases measured interleaved. */
export function startBenchChild<T>(
  script: string,
  settings: BenchSettings,
  options: { env?: Record<string, string>; profileName: string },
): Promise<RunningChild<T>> {
  return startChild<T>(script, {
    env: options.env ?? {},
    cpuProfDir: settings.cpuProfDir,
    profileName: options.profileName,
    execArgv: settings.serverNodeArgs,
  });
}

export interface BenchReport {
  /** Section marker name: `exchange`, `gateway`. */
  name: string;
  title: string;
  /** Paragraph(s) describing the setup, before the tables. */
  intro: string[];
  rows: CaseRow[];
  targets: TargetRow[];
  /** Profiles (by `profileName`) whose top self time during `result`'s measured run goes into the doc. */
  profiles: Array<{ name: string; label: string; result: LoadResult }>;
  /** Extra notes under the tables. */
  notes?: string[];
}

export function isValid(rows: readonly { result: LoadResult }[]): boolean {
  return rows.every((r) => r.result.non2xx === 0 && r.result.errors === 0);
}

/** Prints the tables, writes the doc section; the exit code is 1 for an invalid run (a missed target is not one). */
export function finishBench(report: BenchReport, settings: BenchSettings, machine: MachineInfo): void {
  const valid = isValid(report.rows);
  const cases = casesTable(report.rows);
  const goals = targetsTable(report.targets);
  console.log(`\n${cases}\n\n${goals}\n`);
  const notes: string[] = [...(report.notes ?? [])];
  if (!valid) {
    console.log('INVALID RUN: some responses were not 2xx, or requests failed (see the table).');
    notes.unshift(
      '**Invalid run**: some responses were not 2xx, or requests failed (see the table); the ratios do not count.',
    );
  }
  const missed = report.targets.filter((t) => !passes(t));
  if (missed.length > 0)
    console.log(`missed: ${missed.map((t) => t.name).join('; ')} (reported, not hidden)`);
  if (settings.cpuProfDir !== undefined) {
    for (const { name, label, result } of report.profiles) {
      const file = profileFile(settings.cpuProfDir, name);
      if (file === undefined) continue;
      const top = topSelfTime(file, result.window);
      const lines = top.map((h) => `- ${(h.share * 100).toFixed(1)} % \`${h.fn}\``);
      console.log(`CPU profile, ${label} (self time):\n${lines.join('\n')}\n`);
      if (notes.length > 0) notes.push('');
      notes.push(
        `CPU profile of ${label} during its measured run (\`PIMS_BENCH_CPU_PROF\`), top self time (share of busy samples):`,
        '',
        ...lines,
      );
    }
  }
  const section = [
    `## ${report.title}`,
    '',
    runLine(machine, settings),
    '',
    ...report.intro,
    '',
    cases,
    '',
    goals,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
  if (settings.writeDoc) writeBenchSection(report.name, section, machine);
  console.log(`load ${currentLoad()} at the end${settings.writeDoc ? '; docs/benchmarks.md updated' : ''}`);
  process.exitCode = valid ? 0 : 1;
}
