import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { startFakeIms, createTestSigningKey, type FakeIms } from '../testing/index.js';

/** A pino logger (Fastify's own) whose lines are collected as parsed objects. */
function collectingLogger(): { logger: FastifyBaseLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: Fastify({ logger: { level: 'info', stream } }).log, lines };
}

describe('request ids of the standalone gateway', () => {
  let ims: FakeIms;
  let gateway: RunningGateway;
  const log = collectingLogger();
  before(async () => {
    ims = await startFakeIms([createTestSigningKey('key-1')]);
    gateway = await startGateway({ imsUrl: ims.url, fastifyLogger: log.logger });
  });
  after(async () => {
    await gateway.close();
    await ims.stop();
  });

  const refusalLogOf = (requestId: string) =>
    log.lines.filter((line) => line.msg === 'gateway: request refused' && line.reqId === requestId);

  test('a refused request is logged under the id its X-Request-Id header carries (one id per request)', async () => {
    const response = await fetch(`${gateway.url}/v3/customers`);
    assert.equal(response.status, 403);
    const requestId = response.headers.get('x-request-id') ?? '';
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.equal(refusalLogOf(requestId).length, 1);
  });

  test('a sane caller-sent X-Request-Id is echoed and logged; an unsafe one is replaced in both', async () => {
    const sane = await fetch(`${gateway.url}/v3/customers`, { headers: { 'x-request-id': 'trace-42.a:b' } });
    assert.equal(sane.headers.get('x-request-id'), 'trace-42.a:b');
    assert.equal(refusalLogOf('trace-42.a:b').length, 1);

    const unsafe = await fetch(`${gateway.url}/v3/customers`, { headers: { 'x-request-id': 'x y<script>' } });
    const replaced = unsafe.headers.get('x-request-id') ?? '';
    assert.match(replaced, /^[0-9a-f-]{36}$/);
    assert.equal(refusalLogOf(replaced).length, 1);
    assert.equal(log.lines.filter((line) => line.reqId === 'x y<script>').length, 0);
  });
});
