import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from '../../stores/records.js';
import { fakeClock } from '../test-support/ims-fixture.js';
import { createAuditLog } from './audit-log.js';

const entry = {
  orgId: null,
  actorType: 'client' as const,
  actorId: 'c',
  action: 'token.issued',
  targetType: null,
  targetId: null,
  outcome: 'success' as const,
  ip: null,
  requestId: null,
  details: {},
};

void test('record() returns at once; flush() writes every event in order', async () => {
  const written: Array<Omit<AuditEvent, 'id'>> = [];
  const log = createAuditLog({
    clock: fakeClock(5),
    store: { insertAuditEvent: (e) => (written.push(e), Promise.resolve({ ...e, id: written.length })) },
  });
  for (let i = 0; i < 5; i += 1) log.record({ ...entry, targetId: String(i) });
  assert.equal(written.length, 0);
  await log.flush();
  assert.deepEqual(
    written.map((e) => e.targetId),
    ['0', '1', '2', '3', '4'],
  );
  assert.equal(written[0]?.createdAt, 5);
});

void test('an event that can not be written after retries is handed to onLost, not dropped silently', async () => {
  let attempts = 0;
  const lost: unknown[] = [];
  const log = createAuditLog({
    clock: fakeClock(),
    attempts: 3,
    store: { insertAuditEvent: () => ((attempts += 1), Promise.reject(new Error('down'))) },
    onLost: (event) => lost.push(event),
  });
  log.record(entry);
  await log.flush();
  assert.equal(attempts, 3);
  assert.equal(lost.length, 1);
});

void test('write() stores the event before it resolves, and rejects when storage fails', async () => {
  const stored: unknown[] = [];
  let fail = false;
  const log = createAuditLog({
    store: {
      insertAuditEvent: (event) => {
        if (fail) return Promise.reject(new Error('storage down'));
        stored.push(event);
        return Promise.resolve({ ...event, id: stored.length });
      },
    },
    clock: { now: () => 1_000 },
  });
  const entry = {
    orgId: 'o',
    actorType: 'client' as const,
    actorId: 'c',
    action: 'token.issued',
    targetType: 'access_token',
    targetId: 'j',
    outcome: 'success' as const,
    ip: null,
    requestId: null,
    details: {},
  };
  await log.write(entry);
  assert.equal(stored.length, 1, 'stored before write() resolved');
  fail = true;
  await assert.rejects(log.write(entry), /storage down/);
  assert.equal(stored.length, 1);
});
