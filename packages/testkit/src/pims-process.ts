/**
 * Runs the real `pims` command from source in a child process, for end-to-end tests. Output is collected; helpers
 * wait for a line or for the exit, always bounded in time, and `stop()` never leaves a process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = resolve(REPO_ROOT, 'packages/cli/src/bin.ts');

export interface PimsProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout (or stderr with `from: 'stderr'`). */
  waitFor(
    pattern: RegExp,
    options?: { timeoutMs?: number; from?: 'stdout' | 'stderr' },
  ): Promise<RegExpMatchArray>;
  /** Resolves when the process exits. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Only the variables a test names reach the child, plus PATH and HOME: the developer's own PIMS_* never leak in. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) base[key] = value;
  return base;
}

export function spawnPims(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): PimsProcess {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const listener of listeners) listener();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => {
      resolveExit({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  let exitedState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exit.then((state) => {
    exitedState = state;
  });

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${what} within ${ms} ms\n--- stdout\n${out}\n--- stderr\n${err}`)),
        ms,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolvePromise(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, { timeoutMs = 15_000, from = 'stdout' } = {}) {
      const found = new Promise<RegExpMatchArray>((resolveMatch, reject) => {
        const check = () => {
          const match = (from === 'stdout' ? out : err).match(pattern);
          if (match) {
            listeners.delete(check);
            resolveMatch(match);
          } else if (exitedState) {
            listeners.delete(check);
            reject(
              new Error(
                `pims exited (${JSON.stringify(exitedState)}) before printing ${pattern}\n${out}\n${err}`,
              ),
            );
          }
        };
        listeners.add(check);
        check();
      });
      return withTimeout(found, timeoutMs, `pims did not print ${pattern}`);
    },
    exited(timeoutMs = 15_000) {
      return withTimeout(exit, timeoutMs, 'pims did not exit');
    },
    async stop(graceMs = 5_000) {
      if (exitedState) return exitedState;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const state = await exit;
      clearTimeout(timer);
      return state;
    },
  };
}
