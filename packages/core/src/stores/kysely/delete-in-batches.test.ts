/** The batching loop on its own, over a fake table (the SQL of each store is in the store contract suite). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_BATCH_SIZE, deleteInBatches } from './delete-in-batches.js';

/** `rows` rows; each call deletes at most `limit` of them and records the limit it was given. */
function fakeTable(rows: number) {
  const limits: number[] = [];
  let left = rows;
  return {
    limits,
    left: () => left,
    deleteBatch(limit: number): Promise<number> {
      limits.push(limit);
      const deleted = Math.min(limit, left);
      left -= deleted;
      return Promise.resolve(deleted);
    },
  };
}

void describe('deleteInBatches', () => {
  void test('deletes batch after batch, pausing between two, until a batch is short', async () => {
    const table = fakeTable(7);
    const seenBetween: number[] = [];
    const pause = () => {
      seenBetween.push(table.left());
      return Promise.resolve();
    };
    assert.equal(await deleteInBatches((n) => table.deleteBatch(n), { batchSize: 3, pause }), 7);
    assert.deepEqual(table.limits, [3, 3, 3]);
    assert.deepEqual(seenBetween, [4, 1], 'a pause after each full batch, none after the last');
  });

  void test('an exact multiple takes one more, empty, statement; nothing to delete takes one', async () => {
    const exact = fakeTable(4);
    assert.equal(await deleteInBatches((n) => exact.deleteBatch(n), { batchSize: 2 }), 4);
    assert.deepEqual(exact.limits, [2, 2, 2]);

    const empty = fakeTable(0);
    assert.equal(await deleteInBatches((n) => empty.deleteBatch(n)), 0);
    assert.deepEqual(empty.limits, [DEFAULT_BATCH_SIZE]);
  });

  void test('by default 1000 rows a statement, and other work runs between two statements', async () => {
    const table = fakeTable(2500);
    let otherWork = 0;
    const otherWorkBefore: number[] = [];
    const total = await deleteInBatches(async (limit) => {
      otherWorkBefore.push(otherWork);
      const deleted = await table.deleteBatch(limit);
      // Runs before the next statement only if the loop yields to the event loop in between.
      setImmediate(() => (otherWork += 1));
      return deleted;
    });
    assert.equal(total, 2500);
    assert.deepEqual(table.limits, [1000, 1000, 1000]);
    assert.deepEqual(otherWorkBefore, [0, 1, 2]);
  });

  void test('refuses a batch size that would never end or never delete', async () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        deleteInBatches(() => Promise.resolve(0), { batchSize }),
        {
          name: 'RangeError',
          message: `batchSize must be a positive integer (got ${String(batchSize)})`,
        },
      );
    }
  });
});
