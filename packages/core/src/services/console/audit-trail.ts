/**
 * The console's audit trail (SECURITY: every change, who, what, when, from where, request id). Rows are written with
 * the change, in the same transaction, so a change never lands without its audit row or the other way round.
 * Reads: an org's admins see their org; operators see every org. CSV export neutralises spreadsheet formulas.
 */
import type { AuditEvent, Page } from '../../stores/records.js';
import type { AuditFilter, Stores } from '../../stores/stores.js';
import { ADMINS, requireOperator, requireOrgRole } from './access.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';

export interface AuditChange {
  orgId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
  outcome?: AuditEvent['outcome'];
}

export async function recordChange(
  deps: Pick<ConsoleDeps, 'clock'>,
  stores: Pick<Stores, 'auditEvents'>,
  ctx: ConsoleContext,
  change: AuditChange,
): Promise<void> {
  await stores.auditEvents.insertAuditEvent({
    orgId: change.orgId,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    outcome: change.outcome ?? 'success',
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: change.details ?? {},
    createdAt: deps.clock.now(),
  });
}

export async function listOrgAudit(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  filter: AuditFilter,
): Promise<Page<AuditEvent>> {
  await requireOrgRole(deps.storage, ctx, orgId, ADMINS);
  return deps.storage.auditEvents.listAuditEvents(orgId, filter);
}

export async function listAllAudit(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  filter: AuditFilter & { orgId?: string },
): Promise<Page<AuditEvent>> {
  requireOperator(ctx);
  const { orgId, ...rest } = filter;
  return deps.storage.auditEvents.listAuditEvents(orgId ?? null, rest);
}

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'orgId',
  'actorType',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'ip',
  'requestId',
  'details',
] as const;

/** One CSV cell: quoted, quotes doubled, and a leading `= + - @` (or tab/CR) prefixed with `'` against formula injection. */
function cell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function auditCsv(events: readonly AuditEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const event of events) {
    lines.push(
      CSV_COLUMNS.map((column) =>
        cell(column === 'createdAt' ? new Date(event.createdAt).toISOString() : event[column]),
      ).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
