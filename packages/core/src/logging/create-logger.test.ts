import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, redactedFields } from './create-logger.js';

function capture(level: 'info' | 'warn' | 'silent' = 'info') {
  const lines: string[] = [];
  const logger = createLogger(
    { logLevel: level },
    { destination: { write: (line: string) => lines.push(line) } },
  );
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

void describe('createLogger', () => {
  void it('redacts authorization headers, cookies, client secrets, assertions, passwords and tokens', () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer eyJ.secret-token',
            cookie: '__Host-session=s3ss10n',
            'x-api-key': 'cid',
          },
          body: { client_id: 'cid', client_secret: 'p8e-SECRET', jwt_token: 'eyJ.assertion' },
        },
        res: { headers: { 'set-cookie': '__Host-session=n3w' } },
        client_secret: 'p8e-TOP',
        user: { email: 'a@example.com', password: 'hunter2' },
        token: { access_token: 'eyJ.access' },
        clientSecret: 'camel',
      },
      'token request',
    );
    const text = lines.join('');
    for (const secret of ['secret-token', 's3ss10n', 'n3w', 'p8e-', 'eyJ.', 'hunter2', 'camel']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    const [record] = records();
    assert.deepEqual(record?.req, {
      headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'x-api-key': 'cid' },
      body: { client_id: 'cid', client_secret: '[Redacted]', jwt_token: '[Redacted]' },
    });
    assert.deepEqual(record?.res, { headers: { 'set-cookie': '[Redacted]' } });
    assert.equal(record?.client_secret, '[Redacted]');
    assert.deepEqual(record?.user, { email: 'a@example.com', password: '[Redacted]' });
    assert.deepEqual(record?.token, { access_token: '[Redacted]' });
    assert.equal(record?.msg, 'token request');
  });

  void it('covers every listed field at the top level', () => {
    const { logger, records } = capture();
    logger.info(Object.fromEntries(redactedFields.map((field) => [field, 'x'])));
    const [record] = records();
    for (const field of redactedFields) assert.equal(record?.[field], '[Redacted]', field);
  });

  void it('uses the configured level', () => {
    const warn = capture('warn');
    warn.logger.info('hidden');
    warn.logger.warn('shown');
    assert.deepEqual(
      warn.records().map((record) => record.msg),
      ['shown'],
    );
    const silent = capture('silent');
    silent.logger.error('nothing');
    assert.equal(silent.lines.length, 0);
  });

  void it('serializes errors with their stack for operators', () => {
    const { logger, records } = capture();
    logger.error({ err: new Error('boom') }, 'failed');
    const err = records()[0]?.err as { message?: string; stack?: string } | undefined;
    assert.equal(err?.message, 'boom');
    assert.match(err?.stack ?? '', /create-logger\.test/);
  });
});
