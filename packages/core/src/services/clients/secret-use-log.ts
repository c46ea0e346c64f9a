/**
 * When each client secret was last used (shown by the console API), kept off the token endpoints' critical path:
 * a successful secret check only notes the time in memory (`note`, no I/O, no await); a timer writes what was noted
 * in the background, at most once per `minWriteIntervalMs` (one minute) per secret, and `close()` writes what is
 * left. The time is informational: a write that fails is reported through `onLost` and dropped, never retried.
 */
import type { ClientSecretStore } from '../../stores/stores.js';
import type { Clock } from '../ims-settings.js';

export interface SecretUseLog {
  /** The hot path: a secret of `orgId` authenticated a request now. Costs one map lookup and a field write. */
  note(orgId: string, secretId: string): void;
  /** Writes every use noted and due now (at most one write per secret per minute). Rejects only if `onLost` throws. */
  flush(): Promise<void>;
  /** Stops the timer, waits for a flush in progress, then writes every use still unwritten. */
  close(): Promise<void>;
}

export interface SecretUseLogOptions {
  store: Pick<ClientSecretStore, 'touchClientSecret'>;
  clock: Clock;
  /** How often noted uses are written (default 15 s). 0: only by `flush()` and `close()`. */
  flushIntervalMs?: number;
  /** A secret's last use is written at most this often (default 60 s). */
  minWriteIntervalMs?: number;
  /** A flush failed: `dropped` uses were not written (the first error is given). */
  onLost?: (err: unknown, dropped: number) => void;
}

export const SECRET_USE_FLUSH_MS = 15_000;
export const SECRET_USE_MIN_WRITE_INTERVAL_MS = 60_000;

interface Entry {
  orgId: string;
  usedAt: number;
  /** When this secret's last use was last written, and which use that was (`-Infinity`: never). */
  writtenAt: number;
  writtenUsedAt: number;
}

interface Due {
  secretId: string;
  orgId: string;
  usedAt: number;
}

export function createSecretUseLog(options: SecretUseLogOptions): SecretUseLog {
  const { store, clock } = options;
  const minWriteIntervalMs = options.minWriteIntervalMs ?? SECRET_USE_MIN_WRITE_INTERVAL_MS;
  const flushIntervalMs = options.flushIntervalMs ?? SECRET_USE_FLUSH_MS;
  const entries = new Map<string, Entry>();
  let flushing: Promise<void> | undefined;

  /** Takes what is to be written now; forgets secrets idle since their last write a full interval ago. */
  function takeDue(all: boolean): Due[] {
    const now = clock.now();
    const due: Due[] = [];
    for (const [secretId, entry] of entries) {
      const waited = now - entry.writtenAt >= minWriteIntervalMs;
      if (entry.usedAt <= entry.writtenUsedAt) {
        // Nothing new. Forgetting it is safe once a minute has passed: its next use may be written at once.
        if (waited) entries.delete(secretId);
      } else if (all || waited) {
        entry.writtenAt = now;
        entry.writtenUsedAt = entry.usedAt;
        due.push({ secretId, orgId: entry.orgId, usedAt: entry.usedAt });
      }
    }
    return due;
  }

  async function write(due: Due[]): Promise<void> {
    for (const [index, { secretId, orgId, usedAt }] of due.entries()) {
      try {
        await store.touchClientSecret(orgId, secretId, usedAt);
      } catch (err) {
        // Storage is likely down: the rest of this batch is dropped rather than each waiting for its timeout.
        options.onLost?.(err, due.length - index);
        return;
      }
    }
  }

  function flush(): Promise<void> {
    flushing ??= write(takeDue(false)).finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  const timer =
    flushIntervalMs > 0 ? setInterval(() => void flush().catch(() => undefined), flushIntervalMs) : undefined;
  timer?.unref();

  return {
    note(orgId, secretId) {
      const now = clock.now();
      const entry = entries.get(secretId);
      if (entry !== undefined) entry.usedAt = now;
      else
        entries.set(secretId, {
          orgId,
          usedAt: now,
          writtenAt: Number.NEGATIVE_INFINITY,
          writtenUsedAt: Number.NEGATIVE_INFINITY,
        });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flushing?.catch(() => undefined);
      await write(takeDue(true));
    },
  };
}
