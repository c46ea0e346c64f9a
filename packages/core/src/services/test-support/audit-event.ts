/** An audit event of the system itself at a given time, for tests that seed the audit log (pruning, retention). */
import type { AuditEvent } from '../../stores/records.js';

export function systemAuditEvent(
  createdAt: number,
  overrides: Partial<Omit<AuditEvent, 'id' | 'createdAt'>> = {},
): Omit<AuditEvent, 'id'> {
  return {
    orgId: null,
    actorType: 'system',
    actorId: null,
    action: 'test.pruning',
    targetType: null,
    targetId: null,
    outcome: 'success',
    ip: null,
    requestId: null,
    details: {},
    createdAt,
    ...overrides,
  };
}
