import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../../storage/schema.js';
import type { AuditEvent } from '../records.js';
import type { AuditEventStore } from '../stores.js';
import { deleteInBatches } from './delete-in-batches.js';
import { directCommit, type GroupCommit } from './group-commit.js';
import { prepareQuery } from './prepared-query.js';
import { decodeCursor, pageLimit, toPage } from './pagination.js';
import { affected, num, parseObject } from './rows.js';

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: num(row.id),
    orgId: row.org_id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.request_id,
    details: parseObject(row.details),
    createdAt: num(row.created_at),
  };
}

type AuditValues = {
  [K in keyof Omit<Insertable<AuditEventsTable>, 'id'>]-?: Insertable<AuditEventsTable>[K];
};

function prepareInsert(db: Kysely<Database>) {
  const names = [
    'org_id',
    'actor_type',
    'actor_id',
    'action',
    'target_type',
    'target_id',
    'outcome',
    'ip',
    'request_id',
    'details',
    'created_at',
  ] as const satisfies readonly (keyof AuditValues)[];
  return prepareQuery<AuditValues, { id: number | bigint }>(db, names, (values) =>
    db.insertInto('audit_events').values(values).returning('id'),
  );
}

/** `commit`: how an event is written — in a group commit on SQLite, on its own otherwise. */
export function createAuditEventStore(
  db: Kysely<Database>,
  commit: GroupCommit = directCommit(db),
): AuditEventStore {
  const insert = prepareInsert(db);
  return {
    async insertAuditEvent(event) {
      const values: AuditValues = {
        org_id: event.orgId,
        actor_type: event.actorType,
        actor_id: event.actorId,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        outcome: event.outcome,
        ip: event.ip,
        request_id: event.requestId,
        details: JSON.stringify(event.details),
        created_at: event.createdAt,
      };
      const result = await commit.run(insert(values));
      const row = result.rows[0];
      if (row === undefined) throw new Error('the audit event insert returned no id');
      return { ...event, id: num(row.id) };
    },

    /** Newest first by id (insertion order); `from` is inclusive, `to` exclusive, both on `created_at`. */
    async listAuditEvents(orgId, filter = {}) {
      const limit = pageLimit(filter.limit);
      let query = db.selectFrom('audit_events').selectAll();
      if (orgId !== null) query = query.where('org_id', '=', orgId);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
      if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
      if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
      if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
      if (filter.cursor !== undefined)
        query = query.where('id', '<', decodeCursor(filter.cursor, ['number'])[0]);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, toAuditEvent, (r) => [num(r.id)]);
    },

    deleteAuditEventsBefore(before, options) {
      return deleteInBatches(async (limit) => {
        const old = db.selectFrom('audit_events').select('id').where('created_at', '<', before).limit(limit);
        return affected(await db.deleteFrom('audit_events').where('id', 'in', old).executeTakeFirst());
      }, options);
    },
  };
}
