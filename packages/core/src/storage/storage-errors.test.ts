import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NotFound,
  ReferenceViolation,
  StorageUnavailable,
  UniqueViolation,
  normaliseStorageError,
} from './storage-errors.js';

const driverError = (props: Record<string, unknown>, message = 'driver says: SELECT secret FROM t') =>
  Object.assign(new Error(message), props);

void describe('normaliseStorageError', () => {
  void it('maps SQLite unique and primary-key violations, keeping table and columns but not values', () => {
    const err = normaliseStorageError(
      driverError(
        { code: 'SQLITE_CONSTRAINT_UNIQUE' },
        'UNIQUE constraint failed: projects.org_id, projects.name',
      ),
    );
    assert.ok(err instanceof UniqueViolation);
    assert.equal(err.code, 'STORAGE_UNIQUE_VIOLATION');
    assert.equal(err.table, 'projects');
    assert.deepEqual(err.columns, ['org_id', 'name']);
    assert.ok(
      normaliseStorageError(driverError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })) instanceof UniqueViolation,
    );
  });

  void it('maps pg 23505 with table and columns from the detail, never the key value', () => {
    const err = normaliseStorageError(
      driverError({
        code: '23505',
        table: 'credentials',
        detail: 'Key (client_id)=(0123abcd) already exists.',
      }),
    );
    assert.ok(err instanceof UniqueViolation);
    assert.equal(err.table, 'credentials');
    assert.deepEqual(err.columns, ['client_id']);
    assert.ok(!err.message.includes('0123abcd'));
  });

  void it('maps foreign key violations', () => {
    assert.ok(
      normaliseStorageError(driverError({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })) instanceof
        ReferenceViolation,
    );
    assert.ok(normaliseStorageError(driverError({ code: '23503' })) instanceof ReferenceViolation);
  });

  void it('maps unreachable, busy and shut-down databases to StorageUnavailable', () => {
    const unavailable = [
      driverError({ code: 'SQLITE_BUSY' }),
      driverError({ code: 'SQLITE_CANTOPEN' }),
      driverError({ code: 'SQLITE_IOERR_WRITE' }),
      driverError({ code: 'ECONNREFUSED' }),
      driverError({ code: 'ENOTFOUND' }),
      driverError({ code: 'ETIMEDOUT' }),
      driverError({ code: '57P01' }),
      driverError({ code: '08006' }),
      driverError({ code: '53300' }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      Object.assign(new AggregateError([driverError({ code: 'ECONNREFUSED' })]), { code: undefined }),
    ];
    for (const input of unavailable) {
      const err = normaliseStorageError(input);
      assert.ok(err instanceof StorageUnavailable, String(input));
      assert.equal(err.message, 'Storage unavailable');
      assert.equal(err.cause, input, 'the driver error stays in cause');
    }
  });

  void it('never copies driver messages into its own', () => {
    const input = driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'UNIQUE constraint failed: users.email');
    const err = normaliseStorageError(input) as Error;
    assert.ok(!err.message.includes('users.email'));
  });

  void it('passes storage errors and unknown errors through unchanged', () => {
    const nf = new NotFound('project');
    assert.equal(normaliseStorageError(nf), nf);
    assert.equal(nf.code, 'STORAGE_NOT_FOUND');
    const syntax = driverError({ code: '42601' });
    assert.equal(normaliseStorageError(syntax), syntax);
    assert.equal(normaliseStorageError('x'), 'x');
  });
});
