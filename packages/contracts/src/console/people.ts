/** Sign-in, sessions, invitations and members (`/api/v1/auth…`, `/api/v1/orgs/{orgId}/members|invitations…`). */
import { z } from 'zod';
import {
  emailField,
  nameField,
  orgIdField,
  pageOf,
  pageQuery,
  passwordField,
  roleField,
  uuidField,
} from './fields.js';

export const loginBody = z.strictObject({
  email: emailField,
  // Any non-empty string: a login must not tell which passwords would be acceptable.
  password: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(1024),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(1024),
  newPassword: passwordField,
});

export const acceptInvitationBody = z.strictObject({
  token: z
    .string({ error: 'must be a string' })
    .min(16, { error: 'is not valid' })
    .max(200, { error: 'is not valid' }),
  name: nameField.optional(),
  password: passwordField,
});

export const inviteBody = z.strictObject({ email: emailField, role: roleField });
export const changeRoleBody = z.strictObject({ role: roleField });

export const memberParams = z.strictObject({ orgId: orgIdField, userId: uuidField });
export const invitationParams = z.strictObject({ orgId: orgIdField, invitationId: uuidField });
export const sessionParams = z.strictObject({ sessionId: uuidField });
export const pageOnlyQuery = z.strictObject({ ...pageQuery });

export const subjectView = z.object({
  type: z.enum(['operator', 'user']),
  id: z.string(),
  email: z.string(),
  name: z.string(),
});

export const membershipView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  role: z.enum(['admin', 'developer']),
});

export const sessionStateView = z.object({
  subject: subjectView,
  memberships: z.array(membershipView),
  /** Send it back as `X-Pims-CSRF` on every state-changing request of this session. */
  csrfToken: z.string(),
  expiresAt: z.number(),
});

export const sessionView = z.object({
  id: z.string(),
  current: z.boolean(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
});
export const sessionList = z.object({ items: z.array(sessionView) });

export const memberView = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'developer']),
  status: z.enum(['active', 'disabled']),
  createdAt: z.number(),
});
export const memberPage = pageOf(memberView);

export const acceptedInvitationView = z.object({ orgId: z.string(), userId: z.string(), role: roleField });
