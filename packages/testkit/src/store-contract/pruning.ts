/**
 * Pruning deletes: every expired row goes, over several bounded statements, and no live row does. The rows here are
 * timed long before `T0`, which every other test uses, so a shared storage holds no other row these deletes match.
 * Between two statements the `pause` counts what is left of this test's rows: that each statement deleted at most
 * `batchSize` rows is seen there, not taken from the total.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchOptions, Storage } from '@pims/core';
import { auditRecord, ids, sessionRecord } from './fixtures.js';

/** Long before `T0`: rows expire at `EPOCH + i`. */
const EPOCH = 1_000_000;
/** 5 of the 7 rows are expired (or old enough) at `EPOCH + 4`; with 2 rows a statement that takes 3 statements. */
const ROWS = 7;
const CUTOFF = EPOCH + 4;
const BATCH = 2;

/** Options that count the rows left after each statement. */
function counting(left: () => Promise<number>): { options: BatchOptions; leftBetween: number[] } {
  const leftBetween: number[] = [];
  return {
    leftBetween,
    options: {
      batchSize: BATCH,
      pause: async () => {
        leftBetween.push(await left());
      },
    },
  };
}

/** Rows left after deleting 2, then 2 (then the last 1 of the 5, with no pause after it). */
const LEFT_BETWEEN = [ROWS - 2, ROWS - 4];

export function pruningContract(storage: () => Storage): void {
  void test('used assertions: expired ones go in batches, live ones stay', async () => {
    const s = storage();
    const keys = Array.from({ length: ROWS }, () => `jti:prune:${ids.uuid()}`);
    for (const [i, key] of keys.entries()) {
      await s.usedAssertions.insertUsedAssertion({
        key,
        clientId: 'c',
        tokenClaims: null,
        createdAt: EPOCH - 1,
        expiresAt: EPOCH + i,
      });
    }
    const present = async () => {
      const found = await Promise.all(keys.map((key) => s.usedAssertions.findUsedAssertion(key, 0)));
      return keys.filter((_, i) => found[i] !== undefined);
    };
    const { options, leftBetween } = counting(async () => (await present()).length);

    assert.equal(await s.usedAssertions.deleteExpiredAssertions(CUTOFF, options), 5);
    assert.deepEqual(leftBetween, LEFT_BETWEEN);
    assert.deepEqual(await present(), keys.slice(5));
    assert.equal(await s.usedAssertions.deleteExpiredAssertions(CUTOFF, options), 0);
  });

  void test('revocations: expired ones go in batches, live ones stay', async () => {
    const s = storage();
    const seqs: number[] = [];
    for (let i = 0; i < ROWS; i++) {
      const revocation = await s.revocations.insertRevocation({
        kind: 'token',
        subject: ids.uuid(),
        orgId: null,
        expiresAt: EPOCH + i,
        createdAt: EPOCH - 1,
      });
      seqs.push(revocation.seq);
    }
    const present = async () => {
      const rows = await s.revocations.listRevocationsSince((seqs[0] ?? 0) - 1, 0, 10_000);
      return rows.map((r) => r.seq).filter((seq) => seqs.includes(seq));
    };
    const { options, leftBetween } = counting(async () => (await present()).length);

    assert.equal(await s.revocations.deleteExpiredRevocations(CUTOFF, options), 5);
    assert.deepEqual(leftBetween, LEFT_BETWEEN);
    assert.deepEqual(await present(), seqs.slice(5));
  });

  void test('sessions: expired ones go in batches, live ones stay', async () => {
    const s = storage();
    const subjectId = ids.uuid();
    const sessions = [];
    for (let i = 0; i < ROWS; i++) {
      sessions.push(
        await s.sessions.insertSession(
          sessionRecord({ subjectId, createdAt: EPOCH - 1, lastSeenAt: EPOCH - 1, expiresAt: EPOCH + i }),
        ),
      );
    }
    const present = async () =>
      (await s.sessions.listSessionsOfSubject('user', subjectId)).map((x) => x.id).sort();
    const { options, leftBetween } = counting(async () => (await present()).length);

    assert.equal(await s.sessions.deleteExpiredSessions(CUTOFF, options), 5);
    assert.deepEqual(leftBetween, LEFT_BETWEEN);
    assert.deepEqual(
      await present(),
      sessions
        .slice(5)
        .map((x) => x.id)
        .sort(),
    );
  });

  void test('audit events: those created before the cutoff go in batches, later ones stay', async () => {
    const s = storage();
    const action = `test.prune.${ids.uuid()}`;
    const eventIds: number[] = [];
    for (let i = 0; i < ROWS; i++) {
      // Created at EPOCH + 0 … EPOCH + 6; "before EPOCH + 5" takes the first 5 (the cutoff itself stays).
      const event = await s.auditEvents.insertAuditEvent(auditRecord({ action, createdAt: EPOCH + i }));
      eventIds.push(event.id);
    }
    const present = async () =>
      (await s.auditEvents.listAuditEvents(null, { action, limit: 500 })).items
        .map((e) => e.id)
        .sort((a, b) => a - b);
    const { options, leftBetween } = counting(async () => (await present()).length);

    assert.equal(await s.auditEvents.deleteAuditEventsBefore(CUTOFF + 1, options), 5);
    assert.deepEqual(leftBetween, LEFT_BETWEEN);
    assert.deepEqual(await present(), eventIds.slice(5));
    assert.equal(
      await s.auditEvents.deleteAuditEventsBefore(EPOCH + 5, options),
      0,
      'created at the cutoff: kept',
    );
  });
}
