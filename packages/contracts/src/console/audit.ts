/** Audit log (`/api/v1/orgs/{orgId}/audit`, `/api/v1/operator/audit`): allow-listed filters only. */
import { z } from 'zod';
import { orgIdField, pageOf, pageQuery } from './fields.js';

const millis = z.coerce.number({ error: 'must be milliseconds since the epoch' }).int().min(0).optional();

export const auditQuery = z.strictObject({
  ...pageQuery,
  action: z.string().max(100, { error: 'must be at most 100 characters' }).optional(),
  actorId: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  targetId: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  outcome: z.enum(['success', 'failure'], { error: 'must be success or failure' }).optional(),
  from: millis,
  to: millis,
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
});
export const operatorAuditQuery = auditQuery.extend({ orgId: orgIdField.optional() });

export const auditEventView = z.object({
  id: z.number(),
  orgId: z.string().nullable(),
  actorType: z.enum(['operator', 'user', 'client', 'system', 'anonymous']),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export const auditPage = pageOf(auditEventView);
