/**
 * Group commit for SQLite: the small writes of the token endpoints (a replay claim, an audit row) that arrive in one
 * turn of the event loop are written in one transaction. A SQLite commit costs far more than the insert inside it
 * (each commit appends every page it touched to the write-ahead log), so a turn's worth of requests sharing one commit
 * is most of the exchange's storage cost saved. Under load a turn holds only a write or two (the RSA work of the
 * requests ends one by one), so commits are also spaced at least `minIntervalMs` (2 ms) apart: a write that comes
 * sooner after a commit waits for the rest of that interval with the writes of the next turns. The batch runs
 * straight on the better-sqlite3 handle, synchronously, with statements Kysely compiled once (`prepareQuery`): no
 * per-write promise chain, connection mutex or query build.
 *
 * Every write still resolves only once its transaction has committed: a caller that was told "stored" can rely on it.
 * A batch is all or nothing — if any write in it fails, or the commit does, the transaction rolls back and every
 * write of the batch rejects with that error, so nobody is told "stored" for a row that is not. The writes of a batch
 * run in the order they were submitted, each seeing the ones before it (two claims of one key in a batch: the second
 * loses, as it would one transaction later). A batch never runs while a Kysely transaction is open on the connection
 * (it would become part of it, and go if that one rolled back): it waits for the next turn.
 *
 * PostgreSQL gets `directCommit`: its pool already runs concurrent statements in parallel, and a shared transaction
 * there would serialise them on one connection.
 */
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { SqliteHandle } from '../../storage/create-database.js';
import type { Database } from '../../storage/schema.js';

export interface GroupCommit {
  /** Runs one compiled statement, resolving once it is committed. */
  run<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
  /** Resolves once every write submitted so far has committed or failed (shutdown, tests). */
  drain(): Promise<void>;
}

/** Each write on its own, in autocommit, through Kysely: for PostgreSQL, and inside an explicit transaction. */
export function directCommit(db: Kysely<Database>): GroupCommit {
  return {
    run: (query) => db.executeQuery(query),
    drain: () => Promise.resolve(),
  };
}

interface Pending {
  query: CompiledQuery;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most writes per transaction (default 256); the rest go into the next one. */
  maxBatch?: number;
  /**
   * Least time between the starts of two commits, ms (default 2). A write submitted sooner after a commit waits for
   * the rest of the interval, so that under load the writes of several turns share one commit; when the last commit
   * is older, the batch is written in the next turn, as without it. 0: every turn commits its own writes.
   */
  minIntervalMs?: number;
}

export function createSqliteGroupCommit(sqlite: SqliteHandle, options: GroupCommitOptions = {}): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  const minIntervalMs = options.minIntervalMs ?? 2;
  let queue: Pending[] = [];
  let scheduled: Promise<void> | undefined;
  let lastCommitAt = Number.NEGATIVE_INFINITY;

  function execute(query: CompiledQuery): QueryResult<unknown> {
    const statement = sqlite.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  const commitBatch = sqlite.database.transaction((batch: Pending[]) => batch.map((p) => execute(p.query)));

  function flushBatch(): void {
    lastCommitAt = performance.now();
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    let results: QueryResult<unknown>[];
    try {
      results = commitBatch(batch);
    } catch (err) {
      for (const pending of batch) pending.reject(err);
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i] as QueryResult<unknown>));
  }

  /**
   * After the poll phase (setImmediate), so that every request read in this turn joins the batch; later when the last
   * commit started less than `minIntervalMs` ago.
   */
  function schedule(retryMs?: number): void {
    scheduled ??= new Promise<void>((resolve) => {
      const waitMs = retryMs ?? lastCommitAt + minIntervalMs - performance.now();
      if (waitMs <= 0) setImmediate(resolve);
      else setTimeout(resolve, waitMs);
    }).then(() => {
      scheduled = undefined;
      if (sqlite.database.inTransaction) {
        schedule(1);
        return;
      }
      while (queue.length > 0) flushBatch();
    });
  }

  return {
    run<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
      return new Promise<QueryResult<R>>((resolve, reject) => {
        queue.push({ query, resolve: resolve as Pending['resolve'], reject });
        schedule();
      });
    },
    async drain() {
      while (scheduled !== undefined) await scheduled;
    },
  };
}
