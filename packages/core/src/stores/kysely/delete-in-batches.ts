/**
 * The loop behind every pruning delete (see `BatchOptions`): one bounded statement after the other, a pause between
 * two, until a statement deletes fewer rows than the limit. The statement itself is the store's, e.g.
 * `DELETE FROM t WHERE pk IN (SELECT pk FROM t WHERE expires_at <= ? LIMIT ?)`, which both dialects run.
 */
import { setImmediate } from 'node:timers/promises';
import type { BatchOptions } from '../stores.js';

export const DEFAULT_BATCH_SIZE = 1000;

/** `deleteBatch(limit)` deletes at most `limit` rows and resolves to how many it deleted; resolves to the total. */
export async function deleteInBatches(
  deleteBatch: (limit: number) => Promise<number>,
  options: BatchOptions = {},
): Promise<number> {
  const { batchSize = DEFAULT_BATCH_SIZE, pause = () => setImmediate() } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer (got ${String(batchSize)})`);
  }
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
    await pause();
  }
}
