/**
 * Object- and function-level checks (SECURITY CON-1): operators may act on every org; a user only on orgs they are a
 * member of, with a role the action allows. An org the caller can't see answers 404 (never 403), so ids of other
 * orgs reveal nothing.
 */
import { pimsError } from '@pims/contracts';
import type { Membership, Organization, Role } from '../../stores/records.js';
import type { Stores } from '../../stores/stores.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';

export interface OrgAccess {
  org: Organization;
  /** Undefined for operators. */
  membership: Membership | undefined;
}

export function requireOperator(ctx: ConsoleContext): void {
  if (ctx.actor.type === 'anonymous') throw pimsError('console.unauthenticated');
  if (ctx.actor.type === 'user') throw pimsError('console.forbidden');
}

/** The org, if the caller may act in it with one of `roles` (operators always may). */
export async function requireOrgRole(
  stores: Pick<Stores, 'organizations' | 'memberships'>,
  ctx: ConsoleContext,
  orgId: string,
  roles: readonly Role[],
): Promise<OrgAccess> {
  if (ctx.actor.type === 'anonymous') throw pimsError('console.unauthenticated');
  const org = await stores.organizations.findOrganizationById(orgId);
  if (org === undefined) throw pimsError('console.not_found');
  if (ctx.actor.type === 'operator' || ctx.actor.type === 'system') return { org, membership: undefined };
  const membership = await stores.memberships.findMembership(orgId, ctx.actor.id);
  if (membership === undefined) throw pimsError('console.not_found');
  if (org.status !== 'active' || !roles.includes(membership.role)) throw pimsError('console.forbidden');
  return { org, membership };
}

/** Any member may read. */
export const MEMBERS: readonly Role[] = ['admin', 'developer'];
export const ADMINS: readonly Role[] = ['admin'];

/**
 * Who may change credentials (DESIGN §1): in production the org's admins and developers serve themselves; in the
 * sandbox only operators create and change credentials, and members read them.
 */
export async function requireCredentialWriter(
  deps: Pick<ConsoleDeps, 'settings'>,
  stores: Pick<Stores, 'organizations' | 'memberships'>,
  ctx: ConsoleContext,
  orgId: string,
): Promise<OrgAccess> {
  const access = await requireOrgRole(stores, ctx, orgId, MEMBERS);
  if (deps.settings.environment === 'sandbox' && access.membership !== undefined)
    throw pimsError('console.forbidden');
  return access;
}
