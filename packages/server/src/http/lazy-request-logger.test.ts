import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '@pims/core';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { lazyChildLoggerFactory } from './lazy-request-logger.js';

/** A process logger at `level` whose lines are kept, and a count of the child loggers made from it. */
function capture(level: 'warn' | 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ logLevel: level }, { destination });
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children += 1;
    return child(...args);
  }) as typeof logger.child;
  return { logger, lines, children: () => children };
}

async function appWith(logger: FastifyBaseLogger) {
  const app = Fastify({
    loggerInstance: logger,
    childLoggerFactory: lazyChildLoggerFactory,
  });
  app.get('/quiet', (request) => {
    request.log.info('not at warn');
    request.log.debug('nor this');
    return 'ok';
  });
  app.get('/loud', (request) => {
    request.log.error({ client_secret: 'p8e-very-secret' }, 'something broke');
    return 'ok';
  });
  await app.ready();
  return app;
}

void describe('request loggers made on first use', () => {
  void test('a request that writes no line at the enabled level makes no child logger', async () => {
    const { logger, lines, children } = capture('warn');
    const app = await appWith(logger);
    const before = children(); // Fastify makes one of its own at start
    try {
      for (let i = 0; i < 3; i++) assert.equal((await app.inject({ url: '/quiet' })).statusCode, 200);
      assert.equal(children() - before, 0);
      assert.deepEqual(lines, []);
    } finally {
      await app.close();
    }
  });

  void test('a line at an enabled level goes through the real child: request id bound, secrets redacted', async () => {
    const { logger, lines, children } = capture('warn');
    const app = await appWith(logger);
    const before = children();
    try {
      const response = await app.inject({ url: '/loud', headers: { 'x-request-id': 'req-lazy-1' } });
      assert.equal(response.statusCode, 200);
      assert.equal(children() - before, 1);
      const line = lines.find((l) => l.msg === 'something broke');
      assert.ok(line, 'the error line is written');
      assert.equal(typeof line.reqId, 'string');
      assert.equal(line.client_secret, '[Redacted]');
      assert.ok(!JSON.stringify(lines).includes('p8e-very-secret'));
    } finally {
      await app.close();
    }
  });

  void test('at info, Fastify request logging still writes its lines with the request id', async () => {
    const { logger, lines } = capture('info');
    const app = await appWith(logger);
    try {
      await app.inject({ url: '/quiet' });
      const messages = lines.map((l) => l.msg);
      assert.ok(messages.includes('incoming request'));
      assert.ok(messages.includes('not at warn'));
      assert.ok(messages.includes('request completed'));
      assert.equal(new Set(lines.map((l) => l.reqId)).size, 1);
    } finally {
      await app.close();
    }
  });
});
