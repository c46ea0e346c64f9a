/**
 * The pruning job of the IMS server: deletes expired rows — used assertions, revocations and console sessions — and,
 * with a retention set, old audit events, once shortly after start and then every `intervalMs`. Runs never overlap; a
 * failing table is logged (warn) and tried again at the next run; nothing it does can crash the process. `close()`
 * stops the schedule and waits for a run in progress, so storage can be closed right after.
 *
 * Every table is deleted in bounded batches (`BatchOptions`, 1000 rows a statement by default) with a turn of the event
 * loop between two, so even the backlog of a long outage never holds the SQLite write lock — or, SQLite being
 * synchronous, the event loop — for more than one small statement at a time.
 *
 * What "expired" means is each row's `expires_at`, and each is already the right bound:
 * - used assertions: the assertion's `exp` + clock skew, after which the exchange refuses the assertion anyway, so its
 *   replay entry (and the token claims kept for re-issue) can never be consulted again;
 * - revocations: a token revocation expires with its token (`exp` + skew); a credential- or org-wide one at its
 *   creation + access-token lifetime + skew, when the last token it can concern has expired (revocation-service.ts).
 *   The revocation feed and index already ignore rows past `expires_at`, so deleting them changes nothing anyone
 *   sees; `seq` is AUTOINCREMENT / an identity column, never reused, so gateway cursors stay valid;
 * - sessions: their absolute end (revoked and idle sessions are refused long before it).
 *
 * Audit events have no expiry: they are kept forever unless `auditRetentionDays` > 0, and then deleted once older
 * than that (`created_at` before now minus the retention).
 *
 * Several instances sharing one database may all run it: the deletes are idempotent.
 */
import type { Logger } from 'pino';
import type {
  AuditEventStore,
  BatchOptions,
  RevocationStore,
  SessionStore,
  UsedAssertionStore,
} from '../../stores/stores.js';
import type { Clock } from '../ims-settings.js';

export interface PruneStores {
  usedAssertions: Pick<UsedAssertionStore, 'deleteExpiredAssertions'>;
  revocations: Pick<RevocationStore, 'deleteExpiredRevocations'>;
  sessions: Pick<SessionStore, 'deleteExpiredSessions'>;
  auditEvents: Pick<AuditEventStore, 'deleteAuditEventsBefore'>;
}

export type PrunedTable = 'usedAssertions' | 'revocations' | 'sessions' | 'auditEvents';

export interface PruneResult {
  /** Rows deleted per table (0 for a table that failed). */
  removed: Record<PrunedTable, number>;
  /** Tables whose delete failed this time (logged; tried again at the next run). */
  failed: PrunedTable[];
}

/** Calls `run` once after `delayMs`; the returned function cancels it. */
export type Schedule = (run: () => void, delayMs: number) => () => void;

/** `setTimeout`, unref'd: a pending run never keeps the process alive. */
export const unrefTimeout: Schedule = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Delay of the first run after start: after the server is up, well before the first interval. */
export const FIRST_PRUNE_DELAY_MS = 10_000;

export interface PruneJobOptions {
  stores: PruneStores;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Time between the end of one run and the start of the next. */
  intervalMs: number;
  /** Default `FIRST_PRUNE_DELAY_MS`, at most `intervalMs`. */
  firstRunDelayMs?: number;
  /** Default `unrefTimeout`; tests pass one they fire by hand. */
  schedule?: Schedule;
  /** Audit events older than this many days are deleted; 0 (the default) keeps them forever. */
  auditRetentionDays?: number;
  /** Rows per DELETE statement and the pause between two (default: 1000, a turn of the event loop). */
  batch?: BatchOptions;
}

export interface PruneJob {
  /** Runs now, or joins the run in progress (never two at once). Never rejects. */
  runNow(): Promise<PruneResult>;
  /** No further runs; resolves once a run in progress has finished. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

type PruneOptions = Pick<PruneJobOptions, 'stores' | 'clock' | 'logger' | 'auditRetentionDays' | 'batch'>;

/** Each table's delete, resolving to the rows it deleted. */
const deletes: Record<PrunedTable, (options: PruneOptions, now: number) => Promise<number>> = {
  usedAssertions: ({ stores, batch }, now) => stores.usedAssertions.deleteExpiredAssertions(now, batch),
  revocations: ({ stores, batch }, now) => stores.revocations.deleteExpiredRevocations(now, batch),
  sessions: ({ stores, batch }, now) => stores.sessions.deleteExpiredSessions(now, batch),
  auditEvents: ({ stores, batch, auditRetentionDays = 0 }, now) =>
    auditRetentionDays > 0
      ? stores.auditEvents.deleteAuditEventsBefore(now - auditRetentionDays * DAY_MS, batch)
      : Promise.resolve(0), // kept forever
};

/** One pass over the tables, one after the other (one write at a time on SQLite). */
export async function pruneExpired(options: PruneOptions): Promise<PruneResult> {
  const now = options.clock.now();
  const result: PruneResult = {
    removed: { usedAssertions: 0, revocations: 0, sessions: 0, auditEvents: 0 },
    failed: [],
  };
  for (const table of Object.keys(deletes) as PrunedTable[]) {
    try {
      result.removed[table] = await deletes[table](options, now);
    } catch (err) {
      result.failed.push(table);
      const { code, message } = err as { code?: unknown; message?: unknown };
      options.logger.warn(
        { table, err: { code, message } },
        'pruning expired rows failed; trying again at the next run',
      );
    }
  }
  const total = Object.values(result.removed).reduce((sum, n) => sum + n, 0);
  if (total > 0) options.logger.info({ removed: result.removed }, `pruned ${total} expired rows`);
  return result;
}

export function startPruneJob(options: PruneJobOptions): PruneJob {
  const schedule = options.schedule ?? unrefTimeout;
  const firstRunDelayMs = Math.min(options.firstRunDelayMs ?? FIRST_PRUNE_DELAY_MS, options.intervalMs);
  let running: Promise<PruneResult> | undefined;
  let cancel: (() => void) | undefined;
  let closed = false;

  function runNow(): Promise<PruneResult> {
    running ??= pruneExpired(options).finally(() => {
      running = undefined;
    });
    return running;
  }

  function next(): void {
    if (!closed) cancel = schedule(tick, options.intervalMs);
  }

  function tick(): void {
    cancel = undefined;
    // Rescheduled whatever happened: even a throwing logger ends neither the schedule nor the process.
    void runNow().then(next, next);
  }

  cancel = schedule(tick, firstRunDelayMs);
  return {
    runNow,
    async close() {
      closed = true;
      cancel?.();
      cancel = undefined;
      await running?.catch(() => undefined);
    },
  };
}
