/**
 * CPU time a process (every thread: the event loop, libuv's pool doing the RSA work, the GC) has used, read from
 * `/proc/<pid>/stat` (Linux). Per request, it says what a server costs whatever else the machine is doing, which the
 * req/s of a shared two-core box does not.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc` times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU of `pid` in microseconds, or undefined where `/proc` is missing. */
export function processCpuUs(pid: number): number | undefined {
  return cpuUsOf(`/proc/${pid}/stat`);
}

/** The same for the process's main thread alone (the event loop: JavaScript, parsing, SQLite, GC). */
export function mainThreadCpuUs(pid: number): number | undefined {
  return cpuUsOf(`/proc/${pid}/task/${pid}/stat`);
}

function cpuUsOf(file: string): number | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1_000_000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
