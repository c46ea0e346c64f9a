/**
 * Each server under test and the load generator run in a child process of their own (so none shares an event loop
 * with another), started with `node --import tsx`: the bench scripts are TypeScript, while the workspace packages they
 * start resolve to their compiled `dist/` — the JavaScript `pims` runs when installed — which each `npm run bench:*`
 * builds first (`tsc -b`, its `pre` script). A child reports `{ type: 'ready', … }` over
 * IPC; it is stopped with `{ type: 'stop' }` and exits by itself, which also writes its `--cpu-prof` profile. It answers
 * `{ type: 'memory' }` with its `process.memoryUsage()` (the soak bench samples it).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

export const TS_EXEC_ARGV = ['--import', 'tsx'];

interface ReadyMessage<T> {
  type: 'ready';
  url: string;
  info: T;
}

/** A child's answer to a memory request. */
export interface ChildMemory {
  usage: NodeJS.MemoryUsage;
  /** `heapUsed` right after a full GC, when one was asked for and the child runs with `--expose-gc`. */
  heapUsedAfterGc: number | undefined;
}

export interface RunningChild<T> {
  url: string;
  /** What the child reported when ready (credentials, keys, …). */
  info: T;
  pid: number;
  /**
   * The child's memory (one request at a time); with `gc`, also its heap after a full GC (`--expose-gc` children).
   * Undefined when it does not answer within 5 s.
   */
  memory(options?: { gc?: boolean }): Promise<ChildMemory | undefined>;
  /** Asks the child to close and waits until it exits (kills it after 10 s). */
  stop(): Promise<void>;
}

export interface StartChildOptions {
  env?: Record<string, string>;
  /** Write CPU profiles (`--cpu-prof`) into `<cpuProfDir>/<profileName>/`. */
  cpuProfDir?: string | undefined;
  profileName?: string;
  /** Give up when not ready within this many milliseconds. Default 60000. */
  readyTimeoutMs?: number;
  /** Node options added after the TypeScript loader's (e.g. `--expose-gc`). */
  execArgv?: string[];
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** Starts `script` (a .ts file) in a child process and waits for its ready message. */
export function startChild<T>(script: string, options: StartChildOptions = {}): Promise<RunningChild<T>> {
  const execArgv = [...TS_EXEC_ARGV, ...(options.execArgv ?? [])];
  if (options.cpuProfDir !== undefined) {
    // One directory per child: the tsx loader thread writes a profile of its own beside the main thread's.
    const dir = resolve(options.cpuProfDir, options.profileName ?? 'server');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = fork(script, [], {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script}: not ready within ${options.readyTimeoutMs ?? 60_000} ms`));
    }, options.readyTimeoutMs ?? 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script}: exited (${code}) before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (message: ReadyMessage<T>) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolveReady({
        url: message.url,
        info: message.info,
        pid: child.pid ?? 0,
        memory: (request) => askMemory(child, request?.gc === true),
        async stop() {
          if (child.connected) child.send({ type: 'stop' });
          await waitForExit(child, 10_000);
        },
      });
    });
  });
}

function askMemory(child: ChildProcess, gc: boolean): Promise<ChildMemory | undefined> {
  if (!child.connected) return Promise.resolve(undefined);
  return new Promise((resolveMemory) => {
    const done = (memory: ChildMemory | undefined) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolveMemory(memory);
    };
    const onMessage = (message: { type?: string } & Partial<ChildMemory>) => {
      if (message.type !== 'memory' || message.usage === undefined) return;
      done({ usage: message.usage, heapUsedAfterGc: message.heapUsedAfterGc });
    };
    const timer = setTimeout(() => done(undefined), 5000);
    child.on('message', onMessage);
    child.send({ type: 'memory', gc });
  });
}

export interface ServedChild<T> {
  url: string;
  info: T;
  close(): Promise<void>;
}

/** This process's memory; with `gc` (and `--expose-gc`), also its heap right after a full GC. */
function memoryAnswer(gc: boolean): { type: 'memory' } & ChildMemory {
  const usage = process.memoryUsage();
  let heapUsedAfterGc: number | undefined;
  if (gc && globalThis.gc !== undefined) {
    globalThis.gc();
    heapUsedAfterGc = process.memoryUsage().heapUsed;
  }
  return { type: 'memory', usage, heapUsedAfterGc };
}

/** In a child script: starts the server, reports ready, closes and exits on `stop` (or when the parent goes away). */
export function serveChild<T>(start: () => Promise<ServedChild<T>>): void {
  if (process.send === undefined)
    throw new Error('run this script through the bench (it needs an IPC channel)');
  const send = process.send.bind(process);
  start().then(
    (served) => {
      let closing = false;
      const close = () => {
        if (closing) return;
        closing = true;
        served.close().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.on('message', (message: { type?: string; gc?: boolean }) => {
        if (message.type === 'stop') close();
        else if (message.type === 'memory') send(memoryAnswer(message.gc === true));
      });
      process.on('disconnect', close);
      send({ type: 'ready', url: served.url, info: served.info });
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
