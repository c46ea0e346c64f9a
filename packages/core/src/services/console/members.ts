/**
 * An org's people, managed by its admins (SECURITY CON-1, CON-2): list, change role (admin ↔ developer), disable,
 * enable, remove. The last active admin of an org can't be demoted, disabled or removed (disabled admins don't count):
 * each change locks the org's admin memberships first and checks the caller's role and the admin count under that lock,
 * in the transaction that makes the change, so two admins demoting each other at once leave one. Every change that takes rights away
 * ends the user's sessions. Disabling is account-wide, so an org admin may disable only a user who belongs to no other
 * org (one org's admin must not lock a person out of another org); otherwise they remove the user from their org.
 */
import { pimsError } from '@pims/contracts';
import type { Membership, Page, Role, User } from '../../stores/records.js';
import type { ListOptions, Stores } from '../../stores/stores.js';
import { ADMINS, requireOrgRole } from './access.js';
import { recordChange } from './audit-trail.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  status: User['status'];
  createdAt: number;
}

function memberView(membership: Membership, user: User): MemberView {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: membership.role,
    status: user.status,
    createdAt: membership.createdAt,
  };
}

export async function listMembers(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  options: ListOptions,
): Promise<Page<MemberView>> {
  await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  const page = await deps.storage.memberships.listMemberships(orgId, options);
  const items: MemberView[] = [];
  for (const membership of page.items) {
    const user = await deps.storage.users.findUserById(membership.userId);
    if (user) items.push(memberView(membership, user));
  }
  return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
}

async function memberIn(
  stores: Stores,
  orgId: string,
  userId: string,
): Promise<{ membership: Membership; user: User }> {
  const membership = await stores.memberships.findMembership(orgId, userId);
  const user = membership && (await stores.users.findUserById(userId));
  if (!membership || !user) throw pimsError('console.not_found');
  return { membership, user };
}

const lastAdmin = () =>
  pimsError('console.conflict', { details: [{ field: 'userId', message: 'is the last admin of this org' }] });

/** Refuses when the target is an active admin and no other active admin would remain. */
function ensureNotLastAdmin(activeAdmins: readonly string[], membership: Membership): void {
  if (membership.role === 'admin' && activeAdmins.includes(membership.userId) && activeAdmins.length <= 1)
    throw lastAdmin();
}

/**
 * An admin's change to the org's people: one transaction that first locks the org's admin memberships, then checks
 * again, under the lock, that the caller is still an admin (they may have been demoted a moment ago).
 */
async function asAdmin<T>(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  change: (stores: Stores, activeAdmins: readonly string[]) => Promise<T>,
): Promise<T> {
  await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  return deps.storage.transaction(async (stores) => {
    const activeAdmins = await stores.memberships.lockActiveAdmins(orgId);
    await requireOrgRole(stores, ctx, orgId, ADMINS);
    return change(stores, activeAdmins);
  });
}

async function endSessions(deps: Pick<ConsoleDeps, 'clock'>, stores: Stores, userId: string): Promise<void> {
  await stores.sessions.revokeSessionsOfSubject('user', userId, deps.clock.now());
}

export async function changeMemberRole(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  userId: string,
  role: Role,
): Promise<MemberView> {
  return asAdmin(deps, ctx, orgId, async (stores, activeAdmins) => {
    const { membership, user } = await memberIn(stores, orgId, userId);
    if (membership.role === role) return memberView(membership, user);
    if (role === 'developer') ensureNotLastAdmin(activeAdmins, membership);
    const updated = await stores.memberships.updateMembershipRole(orgId, userId, role, deps.clock.now());
    if (!updated) throw pimsError('console.not_found');
    await endSessions(deps, stores, userId);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      details: { from: membership.role, to: role },
    });
    return memberView(updated, user);
  });
}

export async function setMemberStatus(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  userId: string,
  status: User['status'],
): Promise<MemberView> {
  return asAdmin(deps, ctx, orgId, async (stores, activeAdmins) => {
    const { membership } = await memberIn(stores, orgId, userId);
    if (ctx.actor.type === 'user') {
      const orgs = await stores.memberships.listMembershipsOfUser(userId);
      if (orgs.some((other) => other.orgId !== orgId))
        throw pimsError('console.conflict', {
          details: [
            { field: 'userId', message: 'belongs to other orgs too: remove them from this org instead' },
          ],
        });
    }
    if (status === 'disabled') ensureNotLastAdmin(activeAdmins, membership);
    const updated = await stores.users.updateUserById(userId, { status, updatedAt: deps.clock.now() });
    if (!updated) throw pimsError('console.not_found');
    if (status === 'disabled') await endSessions(deps, stores, userId);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: status === 'disabled' ? 'member.disabled' : 'member.enabled',
      targetType: 'user',
      targetId: userId,
    });
    return memberView(membership, updated);
  });
}

export async function removeMember(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  userId: string,
): Promise<void> {
  await asAdmin(deps, ctx, orgId, async (stores, activeAdmins) => {
    const { membership } = await memberIn(stores, orgId, userId);
    ensureNotLastAdmin(activeAdmins, membership);
    await stores.memberships.deleteMembership(orgId, userId);
    await endSessions(deps, stores, userId);
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'member.removed',
      targetType: 'user',
      targetId: userId,
      details: { role: membership.role },
    });
  });
}
