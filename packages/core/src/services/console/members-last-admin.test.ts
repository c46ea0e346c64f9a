/**
 * The last active admin (SECURITY CON-2): disabled admins don't count, and two admins demoting or removing each other
 * at the same moment leave exactly one. On SQLite always; on PostgreSQL when `PIMS_TEST_POSTGRES_URL` is set, in a
 * fresh schema dropped at the end (set but unreachable is a failure, never a skip).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createIdGenerator } from '../../ids.js';
import { createStorage, type OpenedStorage } from '../../storage/create-storage.js';
import type { ConsoleContext } from './console-deps.js';
import { createConsoleServices, type ConsoleServices } from './console-services.js';
import { createScryptHasher } from './passwords.js';

const SYSTEM: ConsoleContext = { actor: { type: 'system', id: null }, ip: null, requestId: null };
const PASSWORD = 'a long enough password';
const dataDir = mkdtempSync(join(tmpdir(), 'pims-last-admin-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function servicesOver(storage: OpenedStorage): ConsoleServices {
  return createConsoleServices({
    storage,
    settings: { environment: 'production', consoleUrl: 'https://ims.example' },
    ids: createIdGenerator(),
    secretKey: Buffer.alloc(32, 4),
    revoker: {
      revokeCredential: () => Promise.resolve(),
      revokeOrg: () => Promise.resolve(),
      invalidateClient: () => undefined,
    },
    mailer: { deliver: () => Promise.resolve(false) },
    passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }),
  });
}

const asUser = (id: string): ConsoleContext => ({ actor: { type: 'user', id }, ip: null, requestId: null });

/** An org whose admins (one per e-mail) have accepted; returns their user ids in order. */
async function orgWithAdmins(
  s: ConsoleServices,
  label: string,
  count: number,
): Promise<{ orgId: string; admins: string[] }> {
  const emails = Array.from({ length: count }, (_, i) => `admin${i}@${label}.example`);
  const created = await s.createOrg(SYSTEM, { name: `Org ${label}`, admins: emails });
  const admins: string[] = [];
  for (const { link } of created.invitations) {
    const accepted = await s.acceptInvitation(
      { ip: null, requestId: null },
      { token: link.slice(link.indexOf('#') + 1), password: PASSWORD },
    );
    admins.push(accepted.userId);
  }
  return { orgId: created.org.id, admins };
}

async function activeAdmins(storage: OpenedStorage, orgId: string): Promise<number> {
  return (await storage.transaction((stores) => stores.memberships.lockActiveAdmins(orgId))).length;
}

const isRefused = (reason: unknown) =>
  ['console.conflict', 'console.forbidden', 'console.not_found'].includes(
    String((reason as { code?: unknown }).code),
  );

function lastAdminContract(open: () => Promise<OpenedStorage>): void {
  let storage: OpenedStorage;
  let s: ConsoleServices;

  it('opens storage', async () => {
    storage = await open();
    s = servicesOver(storage);
  });

  it('disabled admins don’t count: the only active admin can be neither demoted, disabled nor removed', async () => {
    const { orgId, admins } = await orgWithAdmins(s, 'disabled', 2);
    const [a, b] = admins as [string, string];
    await s.setMemberStatus(SYSTEM, orgId, b, 'disabled');
    for (const attempt of [
      () => s.changeMemberRole(asUser(a), orgId, a, 'developer'),
      () => s.setMemberStatus(asUser(a), orgId, a, 'disabled'),
      () => s.removeMember(asUser(a), orgId, a),
      () => s.changeMemberRole(SYSTEM, orgId, a, 'developer'),
    ])
      await assert.rejects(attempt(), (err: { code?: string }) => err.code === 'console.conflict');
    assert.equal(await activeAdmins(storage, orgId), 1);
    // The disabled admin may go: the active one stays.
    await s.changeMemberRole(asUser(a), orgId, b, 'developer');
    await s.removeMember(asUser(a), orgId, b);
    assert.equal(await activeAdmins(storage, orgId), 1);
  });

  it('two admins demoting (or removing) each other at the same moment: exactly one succeeds, one admin stays', async () => {
    const rounds = 12;
    const orgs = await Promise.all(Array.from({ length: rounds }, (_, i) => orgWithAdmins(s, `race${i}`, 2)));
    const results = await Promise.all(
      orgs.map(async ({ orgId, admins }, i) => {
        const [a, b] = admins as [string, string];
        const first =
          i % 2 === 0
            ? s.changeMemberRole(asUser(a), orgId, b, 'developer')
            : s.removeMember(asUser(a), orgId, b);
        const second = s.changeMemberRole(asUser(b), orgId, a, 'developer');
        return Promise.allSettled([first, second]);
      }),
    );
    for (const [i, settled] of results.entries()) {
      const fulfilled = settled.filter((r) => r.status === 'fulfilled');
      assert.equal(fulfilled.length, 1, `round ${i}: exactly one succeeds`);
      const refused = settled.find((r) => r.status === 'rejected');
      assert.ok(refused && isRefused(refused.reason), `round ${i}: ${String(refused && refused.reason)}`);
      assert.equal(await activeAdmins(storage, orgs[i]!.orgId), 1, `round ${i}: one admin left`);
    }
  });

  it('closes storage', async () => {
    await storage.close();
  });
}

void describe('last active admin on SQLite', () => {
  lastAdminContract(() => createStorage({ url: `sqlite:${join(dataDir, 'pims.db')}`, dataDir }));
});

const pgUrl = process.env.PIMS_TEST_POSTGRES_URL;
void describe(
  'last active admin on PostgreSQL',
  { skip: pgUrl === undefined ? 'PIMS_TEST_POSTGRES_URL is not set' : false },
  () => {
    const schema = `pims_test_admins_${process.pid}_${randomBytes(4).toString('hex')}`;
    let opened: OpenedStorage | undefined;
    after(async () => {
      if (opened === undefined) return;
      const admin = await createStorage({ url: pgUrl!, dataDir, migrate: false });
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
      } finally {
        await admin.close();
      }
    });
    lastAdminContract(async () => (opened = await createStorage({ url: pgUrl!, dataDir, schema })));
  },
);
