import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from '../../stores/records.js';
import { auditCsv } from './audit-trail.js';

test('CSV export quotes every cell and defuses formulas', () => {
  const event: AuditEvent = {
    id: 1,
    orgId: null,
    actorType: 'user',
    actorId: '=cmd|"/c calc"!A1',
    action: '+SUM(1)',
    targetType: '@x',
    targetId: '-1',
    outcome: 'success',
    ip: null,
    requestId: 'r',
    details: { a: 'b' },
    createdAt: 0,
  };
  assert.equal(
    auditCsv([event]),
    'id,createdAt,orgId,actorType,actorId,action,targetType,targetId,outcome,ip,requestId,details\r\n' +
      `"1","1970-01-01T00:00:00.000Z","","user","'=cmd|""/c calc""!A1","'+SUM(1)","'@x","'-1","success","","r","{""a"":""b""}"\r\n`,
  );
});
