/**
 * Organizations, run by operators: create one with the admins the distributor named (each gets an invitation), list,
 * disable (every token of the org stops working: the revocation service) and enable.
 */
import { pimsError } from '@pims/contracts';
import type { Organization, OrgStatus, Page } from '../../stores/records.js';
import type { ListOptions } from '../../stores/stores.js';
import { MEMBERS, requireOperator, requireOrgRole } from './access.js';
import { recordChange } from './audit-trail.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';
import {
  deliverInvitations,
  insertInvitation,
  type IssuedInvitation,
  type NewInvitation,
} from './invitations.js';

export interface CreatedOrg {
  org: Organization;
  invitations: IssuedInvitation[];
}

export async function createOrg(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  input: { name: string; admins: readonly string[] },
): Promise<CreatedOrg> {
  requireOperator(ctx);
  const admins = [...new Set(input.admins.map((email) => email.toLowerCase()))];
  const now = deps.clock.now();
  const created = await deps.storage.transaction(async (stores) => {
    const org = await stores.organizations.insertOrganization({
      id: deps.ids.orgId(),
      name: input.name,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
    await recordChange(deps, stores, ctx, {
      orgId: org.id,
      action: 'org.created',
      targetType: 'org',
      targetId: org.id,
      details: { name: org.name },
    });
    const invitations: NewInvitation[] = [];
    for (const email of admins)
      invitations.push((await insertInvitation(deps, stores, ctx, org.id, { email, role: 'admin' })).issued);
    return { org, invitations };
  });
  return {
    org: created.org,
    invitations: await deliverInvitations(deps, created.org.name, created.invitations),
  };
}

export async function listOrgs(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  options: ListOptions & { status?: OrgStatus },
): Promise<Page<Organization>> {
  requireOperator(ctx);
  return deps.storage.organizations.listOrganizations(options);
}

/** Operators see any org; members see their own. */
export async function getOrg(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
): Promise<Organization> {
  return (await requireOrgRole(deps.storage, ctx, orgId, MEMBERS)).org;
}

export async function setOrgStatus(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  status: OrgStatus,
): Promise<Organization> {
  requireOperator(ctx);
  const org = await deps.storage.transaction(async (stores) => {
    const updated = await stores.organizations.updateOrganizationById(orgId, {
      status,
      updatedAt: deps.clock.now(),
    });
    if (updated === undefined) throw pimsError('console.not_found');
    await recordChange(deps, stores, ctx, {
      orgId,
      action: status === 'disabled' ? 'org.disabled' : 'org.enabled',
      targetType: 'org',
      targetId: orgId,
    });
    return updated;
  });
  // After the commit: tokens already issued stop working within the gateways' revocation bound.
  if (status === 'disabled') await deps.revoker.revokeOrg(orgId);
  return org;
}
