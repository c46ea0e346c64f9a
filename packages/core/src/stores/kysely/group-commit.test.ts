import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sqliteFilePath } from '../../storage/create-database.js';
import { createStorage, type OpenedStorage } from '../../storage/create-storage.js';
import type { AuditEvent } from '../records.js';

const root = mkdtempSync(join(tmpdir(), 'pims-group-commit-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function open(): Promise<{ storage: OpenedStorage; dataDir: string }> {
  const dataDir = join(root, `db-${++n}`);
  return { storage: await createStorage({ dataDir }), dataDir };
}

const HOUR = 3_600_000;
const now = Date.now();
const claim = (storage: OpenedStorage, key: string) =>
  storage.usedAssertions.insertUsedAssertion({
    key,
    clientId: 'client-1',
    expiresAt: now + HOUR,
    tokenClaims: null,
    createdAt: now,
  });

const event = (overrides: Partial<AuditEvent> = {}): Omit<AuditEvent, 'id'> => ({
  orgId: null,
  actorType: 'client',
  actorId: 'client-1',
  action: 'token.issued',
  targetType: 'access_token',
  targetId: 'token-1',
  outcome: 'success',
  ip: '127.0.0.1',
  requestId: 'request-1',
  details: { grant: 'jwt_bearer' },
  createdAt: now,
  ...overrides,
});

/** Rows as a second connection (another process, say) sees them: only what is committed. */
function committedCount(dataDir: string, table: 'used_assertions' | 'audit_events'): number {
  const other = new SqliteDatabase(sqliteFilePath(undefined, dataDir), { readonly: true });
  try {
    return (other.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    other.close();
  }
}

void describe('SQLite group commit of replay claims and audit rows', () => {
  void test('writes of one turn resolve once committed, in order: a second claim of a key in the batch loses', async () => {
    const { storage, dataDir } = await open();
    try {
      const results = await Promise.all([
        claim(storage, 'k1'),
        claim(storage, 'k2'),
        claim(storage, 'k1'),
        storage.auditEvents.insertAuditEvent(event()),
      ]);
      assert.deepEqual(results.slice(0, 3), [true, true, false]);
      const audit = results[3];
      assert.ok(audit.id > 0);
      // Resolved means committed: another connection sees every row already.
      assert.equal(committedCount(dataDir, 'used_assertions'), 2);
      assert.equal(committedCount(dataDir, 'audit_events'), 1);
    } finally {
      await storage.close();
    }
  });

  void test('a batch is all or nothing: one failing write rejects and rolls back every write of its turn', async () => {
    const { storage, dataDir } = await open();
    try {
      const outcomes = await Promise.allSettled([
        claim(storage, 'innocent'),
        storage.auditEvents.insertAuditEvent(event({ actorType: 'nobody' as AuditEvent['actorType'] })),
        storage.auditEvents.insertAuditEvent(event({ targetId: 'token-2' })),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['rejected', 'rejected', 'rejected'],
      );
      assert.equal(committedCount(dataDir, 'used_assertions'), 0);
      assert.equal(committedCount(dataDir, 'audit_events'), 0);
      // The next turn is a new batch: the key that was never stored is free.
      assert.equal(await claim(storage, 'innocent'), true);
    } finally {
      await storage.close();
    }
  });

  void test('a batch waits for an open transaction, and does not roll back with it', async () => {
    const { storage, dataDir } = await open();
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let claimed = false;
      const transaction = storage
        .transaction(async (stores) => {
          await stores.organizations.insertOrganization({
            id: 'org-in-transaction@AdobeOrg',
            name: 'Rolled back',
            status: 'active',
            createdAt: now,
            updatedAt: now,
          });
          await held;
          throw new Error('roll back');
        })
        .catch((err: unknown) => err);
      // Let the transaction open (BEGIN, its insert) before the claim arrives.
      await new Promise((resolve) => setTimeout(resolve, 10));
      const pending = claim(storage, 'after-transaction').then((first) => {
        claimed = first;
        return first;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(claimed, false, 'the claim must not commit inside the open transaction');
      release();
      assert.ok((await transaction) instanceof Error);
      assert.equal(await pending, true);
      assert.equal(committedCount(dataDir, 'used_assertions'), 1, 'the claim survived the rollback');
      assert.equal(
        await storage.organizations.findOrganizationById('org-in-transaction@AdobeOrg'),
        undefined,
      );
    } finally {
      await storage.close();
    }
  });

  void test('close() commits what was submitted before it', async () => {
    const { storage, dataDir } = await open();
    const pending = claim(storage, 'at-close');
    await storage.close();
    assert.equal(await pending, true);
    assert.equal(committedCount(dataDir, 'used_assertions'), 1);
  });
});
