/**
 * Invitations (SECURITY CON-8): a 256-bit random token, stored only as a keyed hash, bound to e-mail + org + role,
 * expiring after 7 days, single use (accepted atomically), revocable. The link carries the token in its fragment
 * so it never reaches access logs or `Referer` headers.
 */
import { pimsError } from '@pims/contracts';
import type { Invitation, Page, Role } from '../../stores/records.js';
import type { ListOptions, Stores } from '../../stores/stores.js';
import { ADMINS, requireOrgRole } from './access.js';
import { recordChange } from './audit-trail.js';
import { isUniqueViolation } from './conflicts.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';

export type InvitationView = Omit<Invitation, 'tokenHash' | 'invitedBy'>;

export function invitationView(invitation: Invitation): InvitationView {
  const { tokenHash: _hash, invitedBy: _by, ...view } = invitation;
  return view;
}

export interface IssuedInvitation {
  invitation: InvitationView;
  /** Holds the token: shown to the inviter once (and delivered by mail or the log). */
  link: string;
  /** True when a mail server accepted the invitation e-mail; false without SMTP or when sending failed. */
  emailSent: boolean;
}

/** An invitation inserted but not delivered yet. */
export type NewInvitation = Omit<IssuedInvitation, 'emailSent'>;

type InviteDeps = Pick<ConsoleDeps, 'clock' | 'ids' | 'hashToken' | 'randomToken' | 'settings'>;

/** Inserts one invitation inside the caller's transaction. */
export async function insertInvitation(
  deps: InviteDeps,
  stores: Stores,
  ctx: ConsoleContext,
  orgId: string,
  input: { email: string; role: Role },
): Promise<{ issued: NewInvitation; token: string }> {
  const token = deps.randomToken(32);
  const now = deps.clock.now();
  const invitation = await stores.invitations.insertInvitation(orgId, {
    id: deps.ids.uuid(),
    email: input.email.toLowerCase(),
    role: input.role,
    tokenHash: deps.hashToken(`invite:${token}`),
    invitedBy: ctx.actor.id,
    expiresAt: now + deps.settings.invitationTtlMs,
    acceptedAt: null,
    revokedAt: null,
    createdAt: now,
  });
  await recordChange(deps, stores, ctx, {
    orgId,
    action: 'invitation.created',
    targetType: 'invitation',
    targetId: invitation.id,
    details: { email: invitation.email, role: invitation.role },
  });
  const link = `${deps.settings.consoleUrl}/console/invitation#${token}`;
  return { issued: { invitation: invitationView(invitation), link }, token };
}

/**
 * Delivers committed invitations one by one. A failure loses nothing: the invitation stands, the caller still gets
 * the link, and `emailSent: false` says it has to be handed over another way.
 */
export async function deliverInvitations(
  deps: Pick<ConsoleDeps, 'mailer' | 'onMailFailed'>,
  orgName: string,
  created: readonly NewInvitation[],
): Promise<IssuedInvitation[]> {
  const issued: IssuedInvitation[] = [];
  for (const { invitation, link } of created) {
    let emailSent = false;
    try {
      emailSent = await deps.mailer.deliver({
        email: invitation.email,
        orgName,
        role: invitation.role,
        link,
        expiresAt: invitation.expiresAt,
      });
    } catch (err) {
      deps.onMailFailed(err, { id: invitation.id, orgId: invitation.orgId });
    }
    issued.push({ invitation, link, emailSent });
  }
  return issued;
}

export async function inviteMember(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  input: { email: string; role: Role },
): Promise<IssuedInvitation> {
  const { org } = await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  const issued = await deps.storage.transaction(async (stores) => {
    const existing = await stores.users.findUserByEmail(input.email.toLowerCase());
    if (existing && (await stores.memberships.findMembership(orgId, existing.id)))
      throw pimsError('console.conflict', { details: [{ field: 'email', message: 'is already a member' }] });
    return (await insertInvitation(deps, stores, ctx, orgId, input)).issued;
  });
  const [delivered] = await deliverInvitations(deps, org.name, [issued]);
  return delivered!;
}

export async function listInvitations(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  options: ListOptions,
): Promise<Page<InvitationView>> {
  await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  const page = await deps.storage.invitations.listInvitations(orgId, options);
  return { ...page, items: page.items.map(invitationView) };
}

export async function revokeInvitation(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  invitationId: string,
): Promise<void> {
  await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  await deps.storage.transaction(async (stores) => {
    if (!(await stores.invitations.revokeInvitationById(orgId, invitationId, deps.clock.now())))
      throw pimsError('console.not_found');
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'invitation.revoked',
      targetType: 'invitation',
      targetId: invitationId,
    });
  });
}

export interface AcceptInvitationInput {
  token: string;
  name?: string | undefined;
  password: string;
}

/**
 * Accepts an open invitation: the invited e-mail becomes (or already is) a user, with the given password, and a member
 * with the invited role. A user who already has a password must give that password (a user may belong to several
 * orgs; the invitation is no way to take over an account). Unknown, used, revoked and expired tokens all answer 404.
 */
export async function acceptInvitation(
  deps: ConsoleDeps,
  ctx: Omit<ConsoleContext, 'actor'>,
  input: AcceptInvitationInput,
): Promise<{ orgId: string; userId: string; role: Role }> {
  const now = deps.clock.now();
  const invitation = await deps.storage.invitations.findInvitationByTokenHash(
    deps.hashToken(`invite:${input.token}`),
  );
  const open =
    invitation !== undefined &&
    invitation.acceptedAt === null &&
    invitation.revokedAt === null &&
    invitation.expiresAt > now;
  if (!open) throw pimsError('console.not_found');
  const org = await deps.storage.organizations.findOrganizationById(invitation.orgId);
  if (org?.status !== 'active') throw pimsError('console.not_found');
  const existing = await deps.storage.users.findUserByEmail(invitation.email);
  if (existing?.status === 'disabled') throw pimsError('console.forbidden');
  let passwordHash: string | undefined;
  if (existing?.passwordHash) {
    if (!(await deps.passwords.verify(input.password, existing.passwordHash)))
      throw pimsError('console.unauthenticated');
  } else {
    passwordHash = await deps.passwords.hash(input.password);
  }
  try {
    return await deps.storage.transaction(async (stores) => {
      if (!(await stores.invitations.markInvitationAccepted(invitation.orgId, invitation.id, now)))
        throw pimsError('console.not_found');
      const user =
        existing ??
        (await stores.users.insertUser({
          id: deps.ids.uuid(),
          email: invitation.email,
          name: input.name ?? invitation.email,
          passwordHash: passwordHash ?? null,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        }));
      if (existing && passwordHash !== undefined)
        await stores.users.updateUserById(user.id, {
          passwordHash,
          updatedAt: now,
          ...(input.name ? { name: input.name } : {}),
        });
      await stores.memberships.insertMembership(invitation.orgId, {
        userId: user.id,
        role: invitation.role,
        createdAt: now,
        updatedAt: now,
      });
      await recordChange(
        deps,
        stores,
        { ...ctx, actor: { type: 'user', id: user.id } },
        {
          orgId: invitation.orgId,
          action: 'invitation.accepted',
          targetType: 'user',
          targetId: user.id,
          details: { invitationId: invitation.id, role: invitation.role },
        },
      );
      return { orgId: invitation.orgId, userId: user.id, role: invitation.role };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw pimsError('console.conflict', {
        details: [{ field: 'token', message: 'you are already a member of this org' }],
      });
    throw err;
  }
}
