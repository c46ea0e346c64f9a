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

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Samples per node, only those within `window` (µs, the profile's clock) when given. */
function hitsIn(profile: Profile, window: [number, number] | undefined): Map<number, number> {
  const hits = new Map<number, number>();
  if (window === undefined || profile.samples === undefined || profile.timeDeltas === undefined) {
    for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
    return hits;
  }
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas?.[i] ?? 0;
    if (t >= window[0] && t <= window[1]) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

/** Top self time, over the whole profile or only the samples within `window`. */
export function topSelfTime(file: string, window?: [number, number], count = 8): Hotspot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const hitsOf = hitsIn(profile, window);
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    // Busy time only: the server idles while the bench signs pools between runs.
    if (functionName === '(idle)') continue;
    const hits = hitsOf.get(node.id) ?? 0;
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
