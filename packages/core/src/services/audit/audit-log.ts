/**
 * Audit events of the token endpoints (SECURITY EX-9): every success and failure becomes one `audit_events` row.
 *
 * Most writes leave the request's hot path: `record()` queues the event and returns; a drain loop inserts queued
 * events in order. `write()` stores one at once, for an issued token, which is answered only once its row exists. Nothing is dropped silently: a failed insert is retried, and an event that still can't be written (storage
 * down for long, or the queue full) is handed to `onLost` so the log keeps it. `flush()` waits until the queue is
 * empty (tests, shutdown).
 */
import type { AuditEvent } from '../../stores/records.js';
import type { AuditEventStore } from '../../stores/stores.js';
import type { Clock } from '../ims-settings.js';

export type AuditEntry = Omit<AuditEvent, 'id' | 'createdAt'> & { createdAt?: number };

export interface AuditLog {
  record(entry: AuditEntry): void;
  /**
   * Writes the event now and resolves once it is stored; rejects when it can't be. For events that must exist before
   * the caller answers — an issued token is never handed out without its `token.issued` row (EX-9).
   */
  write(entry: AuditEntry): Promise<void>;
  /** Resolves once every event recorded so far has been written (or handed to `onLost`). */
  flush(): Promise<void>;
}

export interface AuditLogDeps {
  store: Pick<AuditEventStore, 'insertAuditEvent'>;
  clock: Clock;
  /** Called with an event that could not be written; it never holds secrets, so it may be logged. */
  onLost?: (event: Omit<AuditEvent, 'id'>, err: unknown) => void;
  /** Attempts per event before it is handed to `onLost` (default 3). */
  attempts?: number;
  /** Queue bound (default 10,000): beyond it events go straight to `onLost` instead of growing memory. */
  maxQueue?: number;
}

export function createAuditLog(deps: AuditLogDeps): AuditLog {
  const attempts = deps.attempts ?? 3;
  const maxQueue = deps.maxQueue ?? 10_000;
  const onLost = deps.onLost ?? (() => undefined);
  const queue: Array<Omit<AuditEvent, 'id'>> = [];
  let draining: Promise<void> | undefined;

  async function write(event: Omit<AuditEvent, 'id'>): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      try {
        await deps.store.insertAuditEvent(event);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    onLost(event, lastError);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length);
      for (const event of batch) await write(event);
    }
  }

  function startDrain(): Promise<void> {
    draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      draining = undefined;
    });
    return draining;
  }

  return {
    record(entry) {
      const event = { ...entry, createdAt: entry.createdAt ?? deps.clock.now() };
      if (queue.length >= maxQueue) {
        onLost(event, new Error('audit queue full'));
        return;
      }
      queue.push(event);
      void startDrain();
    },
    async write(entry) {
      await deps.store.insertAuditEvent({ ...entry, createdAt: entry.createdAt ?? deps.clock.now() });
    },
    async flush() {
      while (draining !== undefined || queue.length > 0) await (draining ?? startDrain());
    },
  };
}
