/**
 * WAL checkpoints of the SQLite file off the event loop (decision 0009). SQLite's automatic checkpoint runs inside the
 * commit that crosses the threshold, on the thread that committed: every 1,000 pages of write-ahead log the event loop
 * stopped to copy them into the database file, and every request in flight waited for it. Here a worker thread with
 * its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs`: it copies what has been committed
 * without blocking the writer or any reader. The log can only start over from its beginning once every frame in it
 * has been copied, which a worker racing a busy writer never sees, so once the log is longer than `restartFrames` the
 * connection's own thread runs one more PASSIVE checkpoint between two of its transactions — by then only the few
 * frames written since the worker's pass are left to copy — and the next write restarts the log.
 *
 * Fail-safe: until the worker has answered, and as soon as it fails or exits, the connection checkpoints by itself
 * again every `restartFrames` pages (SQLite's own behaviour), so the log never grows without bound. While the worker
 * runs, SQLite's automatic checkpoint stays as a backstop at `backstopFrames`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

export interface WalCheckpointerOptions {
  /** Milliseconds between the worker's checkpoints (default 100). */
  intervalMs?: number;
  /** Log length in frames (pages) after which the connection finishes a checkpoint itself (default 1000). */
  restartFrames?: number;
  /** SQLite's automatic checkpoint while the worker runs, for a worker that falls behind (default 10,000 frames). */
  backstopFrames?: number;
  /** The better-sqlite3 module the worker loads (default: the one this package resolves); tests inject faults here. */
  modulePath?: string;
}

export interface WalCheckpointStats {
  /** True while the worker is checkpointing; false before it answered and after it failed or stopped. */
  workerRunning: boolean;
  /** Passes of the worker that found frames to copy. */
  workerCheckpoints: number;
  /** Frames the worker's passes copied into the database file. */
  workerFrames: number;
  /** Length of the log, in frames, at the worker's latest pass that found any. */
  lastLogFrames: number;
  /** Checkpoints the connection's own thread ran to let the log start over. */
  finishingCheckpoints: number;
}

export interface WalCheckpointer {
  stats(): WalCheckpointStats;
  /** Stops the worker (it closes its connection) and returns the connection to SQLite's own checkpoints. */
  stop(): Promise<void>;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/** The worker: CommonJS, evaluated from this string so that it runs the same from `src/` (tsx) and `dist/`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.postMessage({ type: 'ready' });
const timer = setInterval(() => {
  try {
    const row = checkpoint.get();
    if (row.log > 0) parentPort.postMessage({ type: 'checkpoint', row });
  } catch (err) {
    // SQLITE_BUSY: another checkpoint is running; the next pass tries again.
    if (err && err.code !== 'SQLITE_BUSY') throw err;
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

const requireHere = createRequire(import.meta.url);

/** Starts checkpointing `database` (a WAL-mode file database at `file`) from a worker thread. */
export function startWalCheckpointer(
  database: SqliteDatabase.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const intervalMs = options.intervalMs ?? 100;
  const restartFrames = options.restartFrames ?? 1000;
  const backstopFrames = options.backstopFrames ?? 10_000;
  const stats: WalCheckpointStats = {
    workerRunning: false,
    workerCheckpoints: 0,
    workerFrames: 0,
    lastLogFrames: 0,
    finishingCheckpoints: 0,
  };
  let finishing = false;
  let stopped = false;

  const selfCheckpointing = () => {
    stats.workerRunning = false;
    if (database.open) database.pragma(`wal_autocheckpoint = ${restartFrames}`);
  };

  /** Between two transactions of the connection's own thread (a batch or a Kysely transaction may be open). */
  function finishCheckpoint(): void {
    if (finishing || stopped) return;
    finishing = true;
    const attempt = () => {
      if (stopped || !database.open) {
        finishing = false;
        return;
      }
      if (database.inTransaction) {
        setTimeout(attempt, 1).unref();
        return;
      }
      finishing = false;
      try {
        database.pragma('wal_checkpoint(PASSIVE)');
        stats.finishingCheckpoints += 1;
      } catch {
        // Busy or failing storage: the next long log tries again, and the backstop still holds.
      }
    };
    setImmediate(attempt);
  }

  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, modulePath: options.modulePath ?? requireHere.resolve('better-sqlite3') },
  });
  worker.on('message', (message: { type: 'ready' } | { type: 'checkpoint'; row: CheckpointRow }) => {
    if (stopped) return;
    if (message.type === 'ready') {
      stats.workerRunning = true;
      if (database.open) database.pragma(`wal_autocheckpoint = ${backstopFrames}`);
      return;
    }
    const { row } = message;
    stats.workerCheckpoints += 1;
    stats.workerFrames += Math.max(0, row.checkpointed);
    stats.lastLogFrames = row.log;
    if (row.log >= restartFrames) finishCheckpoint();
  });
  // A worker that can't open the file or fails later exits after its 'error' (which must have a listener, or it would
  // be thrown here); on any exit but stop()'s, the connection checkpoints by itself again.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => {
    worker.on('exit', () => {
      if (!stopped) selfCheckpointing();
      resolve();
    });
  });

  // After the listeners: adding a 'message' listener refs the worker again. A process may exit while it runs.
  worker.unref();

  return {
    stats: () => ({ ...stats }),
    async stop() {
      if (stopped) return exited;
      stopped = true;
      selfCheckpointing();
      worker.postMessage('stop');
      // A worker that does not close in time is ended; its connection holds no write lock between passes.
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
