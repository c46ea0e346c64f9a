/**
 * Memory samples of a server process and what they say: the resident set (`VmRSS` of `/proc/<pid>/status`, Linux)
 * read from outside, and the V8 heap the process reports over IPC, right after a full GC (the live objects: what a
 * leak makes grow). The trend is the least-squares slope over the second half of the run, after the warm-up.
 */
import { readFileSync } from 'node:fs';
import type { RunningChild } from '../lib/child.js';

const MB = 1024 * 1024;

export interface MemorySample {
  /** Seconds since the load started. */
  t: number;
  /** Resident set, MB (undefined where `/proc` is missing). */
  rss: number | undefined;
  /** V8 heap used right after a full GC, MB (undefined when the child did not answer). */
  heap: number | undefined;
}

/** `VmRSS` of `pid` in bytes, or undefined where `/proc` is missing. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** The resident set first (as the load left it), then the heap after the full GC the child runs on request. */
export async function sampleMemory(child: RunningChild<unknown>, t: number): Promise<MemorySample> {
  const rss = residentBytes(child.pid);
  const memory = await child.memory({ gc: true });
  const heap = memory?.heapUsedAfterGc ?? memory?.usage.heapUsed;
  return {
    t,
    rss: rss === undefined ? undefined : rss / MB,
    heap: heap === undefined ? undefined : heap / MB,
  };
}

export type Metric = 'rss' | 'heap';

/** The value of the sample nearest to `t` seconds. */
export function valueAt(samples: readonly MemorySample[], metric: Metric, t: number): number | undefined {
  let best: MemorySample | undefined;
  for (const s of samples) {
    if (s[metric] === undefined) continue;
    if (best === undefined || Math.abs(s.t - t) < Math.abs(best.t - t)) best = s;
  }
  return best?.[metric];
}

/** Least-squares slope in MB per minute of the samples at or after `fromT` seconds (undefined under 3 points). */
export function slopePerMinute(
  samples: readonly MemorySample[],
  metric: Metric,
  fromT: number,
): number | undefined {
  const points = samples.flatMap((s) => {
    const y = s[metric];
    return s.t >= fromT && y !== undefined ? [{ x: s.t / 60, y }] : [];
  });
  if (points.length < 3) return undefined;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  return sxx === 0 ? undefined : sxy / sxx;
}
