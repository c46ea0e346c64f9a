/** The top self-time functions of a `--cpu-prof` profile, for the doc's notes on a missed target. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface Hotspot {
  fn: string;
  /** Share of all samples, 0..1. */
  share: number;
}

export function topSelfTime(file: string, count = 8): Hotspot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url
            .replace(/^file:\/\//, '')
            .replace(/^.*\/node_modules\//, '~/')
            .replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, hits]) => ({ fn, share: total === 0 ? 0 : hits / total }));
}

/** The profile file written for `name` in `dir`, if any. */
export function profileFile(dir: string, name: string): string | undefined {
  const file = readdirSync(dir).find((f) => f === `${name}.cpuprofile`);
  return file === undefined ? undefined : join(dir, file);
}
