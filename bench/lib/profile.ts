/** The top self-time functions of a `--cpu-prof` profile, for the doc's notes on a missed target. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface Hotspot {
  fn: string;
  /** Share of the busy (non-idle) samples, 0..1. */
  share: number;
}

export function topSelfTime(file: string, count = 8): Hotspot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    // Busy time only: the server idles while the bench signs pools between runs.
    if (functionName === '(idle)') continue;
    const hits = node.hitCount ?? 0;
    total += hits;
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

/** The main thread's profile of the child `name` in `dir` (the largest file of its directory), if any. */
export function profileFile(dir: string, name: string): string | undefined {
  const sub = join(dir, name);
  if (!existsSync(sub)) return undefined;
  const files = readdirSync(sub)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(sub, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0];
}
