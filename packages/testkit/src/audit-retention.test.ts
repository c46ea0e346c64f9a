/** The IMS server's prune job honours `PIMS_AUDIT_RETENTION_DAYS` (the job itself is tested in core). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemAuditEvent } from '@pims/core/testing';
import { startImsHarness } from './ims-harness.js';

const DAY_MS = 86_400_000;

async function auditActions(ims: Awaited<ReturnType<typeof startImsHarness>>): Promise<string[]> {
  const page = await ims.server.storage.auditEvents.listAuditEvents(ims.credentials.orgId, { limit: 100 });
  return page.items.map((event) => event.action);
}

async function seedAged(ims: Awaited<ReturnType<typeof startImsHarness>>, ageDays: number, action: string) {
  await ims.server.storage.auditEvents.insertAuditEvent(
    systemAuditEvent(Date.now() - ageDays * DAY_MS, { orgId: ims.credentials.orgId, action }),
  );
}

void test('with PIMS_AUDIT_RETENTION_DAYS=30 a prune run deletes audit events older than 30 days only', async () => {
  const ims = await startImsHarness({ env: { PIMS_AUDIT_RETENTION_DAYS: '30' } });
  try {
    await seedAged(ims, 45, 'test.old');
    await seedAged(ims, 5, 'test.recent');
    const result = await ims.server.pruning.runNow();
    assert.equal(result.removed.auditEvents, 1);
    const actions = await auditActions(ims);
    assert.ok(actions.includes('test.recent'));
    assert.ok(!actions.includes('test.old'));
  } finally {
    await ims.stop();
  }
});

void test('by default (no retention) a prune run keeps every audit event', async () => {
  const ims = await startImsHarness();
  try {
    await seedAged(ims, 3_650, 'test.ancient');
    const result = await ims.server.pruning.runNow();
    assert.equal(result.removed.auditEvents, 0);
    assert.ok((await auditActions(ims)).includes('test.ancient'));
  } finally {
    await ims.stop();
  }
});
