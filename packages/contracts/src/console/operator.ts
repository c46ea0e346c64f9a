/** Operator routes: organizations (`/api/v1/operator/orgs…`). */
import { z } from 'zod';
import { emailField, nameField, orgIdField, pageOf, pageQuery } from './fields.js';

export const createOrgBody = z.strictObject({
  name: nameField,
  admins: z
    .array(emailField, { error: 'must be a list of e-mail addresses' })
    .min(1, { error: 'must name at least one admin' })
    .max(20, { error: 'must name at most 20 admins' }),
});
export type CreateOrgBody = z.infer<typeof createOrgBody>;

export const orgParams = z.strictObject({ orgId: orgIdField });

export const listOrgsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['active', 'disabled'], { error: 'must be active or disabled' }).optional(),
});

export const orgView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type OrgView = z.infer<typeof orgView>;

export const invitationView = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'developer']),
  expiresAt: z.number(),
  acceptedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  createdAt: z.number(),
});
export type InvitationView = z.infer<typeof invitationView>;

/**
 * An invitation just made: the link holds the single-use token and is shown this once. `emailSent` is true when the
 * mail server accepted the invitation e-mail; false without SMTP or when sending failed (hand the link over yourself).
 */
export const issuedInvitationView = z.object({
  invitation: invitationView,
  link: z.string(),
  emailSent: z.boolean(),
});

export const createdOrgView = z.object({ org: orgView, invitations: z.array(issuedInvitationView) });
export const orgPage = pageOf(orgView);
export const pageOfInvitations = pageOf(invitationView);
