import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import pino from 'pino';
import { buildApp } from '../app.js';
import { READY_CHECK_TIMEOUT_MS } from './health-routes.js';

const silent = pino({ level: 'silent' });

test('/health/live answers 200 while readiness fails', async () => {
  const app = await buildApp({ logger: silent, checkReady: () => Promise.reject(new Error('db down')) });
  const live = await app.inject({ method: 'GET', url: '/health/live' });
  assert.equal(live.statusCode, 200);
  assert.deepEqual(live.json(), { status: 'ok' });
  assert.equal(live.headers['cache-control'], 'no-store');
  await app.close();
});

test('/health/ready follows the dependency check: 503 while it fails, 200 again once it recovers', async () => {
  let storageUp = true;
  const app = await buildApp({
    logger: silent,
    checkReady: () =>
      storageUp ? Promise.resolve() : Promise.reject(Object.assign(new Error('secret dsn'), { code: 'X' })),
  });
  const up = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(up.statusCode, 200);
  assert.deepEqual(up.json(), { status: 'ready' });

  storageUp = false;
  const down = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(down.statusCode, 503);
  assert.deepEqual(down.json(), { status: 'unavailable' });
  assert.doesNotMatch(down.body, /secret dsn/);

  storageUp = true;
  const back = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(back.statusCode, 200);
  await app.close();
});

test('/health/ready answers 503 within the readiness timeout when the check hangs', async () => {
  const app = await buildApp({ logger: silent, checkReady: () => new Promise<void>(() => undefined) });
  const started = performance.now();
  const hung = await app.inject({ method: 'GET', url: '/health/ready' });
  const elapsed = performance.now() - started;
  assert.equal(hung.statusCode, 503);
  assert.deepEqual(hung.json(), { status: 'unavailable' });
  assert.ok(
    elapsed >= READY_CHECK_TIMEOUT_MS - 50 && elapsed < 2_000,
    `answered in ${Math.round(elapsed)} ms`,
  );
  await app.close();
});

test('every response carries an X-Request-Id; a sane caller id is echoed', async () => {
  const app = await buildApp({ logger: silent, checkReady: () => Promise.resolve() });
  const echoed = await app.inject({
    method: 'GET',
    url: '/health/live',
    headers: { 'x-request-id': 'req-42' },
  });
  assert.equal(echoed.headers['x-request-id'], 'req-42');
  const generated = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'bad id!' } });
  assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  await app.close();
});

test('an unknown route is a console-dialect 404; an unexpected error is the fixed 500 without its message', async () => {
  const app = await buildApp({
    logger: silent,
    checkReady: () => Promise.resolve(),
    routes: [
      (instance) => {
        instance.get('/boom', () => {
          throw new Error('SELECT password FROM users -- leaked');
        });
      },
    ],
  });
  const missing = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json<{ code: string }>().code, 'console.not_found');

  const boom = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body, /SELECT|password|leaked|at /);
  assert.equal(boom.json<{ code: string }>().code, 'internal_error');
  await app.close();
});

test('schema violations and bad JSON are 400 validation errors naming the field', async () => {
  const app = await buildApp({
    logger: silent,
    checkReady: () => Promise.resolve(),
    routes: [
      (instance) => {
        instance.post(
          '/things',
          {
            schema: {
              body: {
                type: 'object',
                required: ['name'],
                properties: { name: { type: 'string', minLength: 1 } },
                additionalProperties: false,
              },
            },
          },
          () => ({ ok: true }),
        );
      },
    ],
  });
  const missing = await app.inject({ method: 'POST', url: '/things', payload: {} });
  assert.equal(missing.statusCode, 400);
  const body = missing.json<{ code: string; details: Array<{ field: string }> }>();
  assert.equal(body.code, 'console.validation_failed');
  assert.deepEqual(
    body.details.map((d) => d.field),
    ['body.name'],
  );

  const badJson = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { 'content-type': 'application/json' },
    payload: '{"name":',
  });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json<{ code: string }>().code, 'console.validation_failed');

  const wrongType = await app.inject({
    method: 'POST',
    url: '/things',
    headers: { 'content-type': 'application/xml' },
    payload: '<name>x</name>',
  });
  assert.equal(wrongType.statusCode, 415);
  assert.equal(wrongType.json<{ code: string }>().code, 'console.unsupported_media_type');
  await app.close();
});

test('an over-long route parameter is a 414 in the console form, without echoing the URL', async () => {
  const app = await buildApp({
    logger: silent,
    checkReady: () => Promise.resolve(),
    routes: [(instance) => void instance.get('/things/:id', () => ({ ok: true }))],
  });
  const response = await app.inject({ method: 'GET', url: `/things/${'a'.repeat(200)}` });
  assert.equal(response.statusCode, 414);
  assert.deepEqual(response.json(), {
    code: 'console.uri_too_long',
    message: 'The request URL is too long.',
  });
  assert.doesNotMatch(response.body, /aaaa/);
  assert.ok(response.headers['x-request-id']);
  await app.close();
});

test('with the log level silent, a failing readiness check logs nothing', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'silent' }, { write: (line: string) => void lines.push(line) });
  const app = await buildApp({ logger, checkReady: () => Promise.reject(new Error('down')) });
  const response = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(response.statusCode, 503);
  assert.deepEqual(lines, []);
  await app.close();
});

test('with the log level info, a failing readiness check is logged as a warning', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const app = await buildApp({ logger, checkReady: () => Promise.reject(new Error('down')) });
  await app.inject({ method: 'GET', url: '/health/ready' });
  const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  assert.ok(warnings.some((entry) => entry.level === 40 && entry.msg === 'readiness check failed'));
  assert.ok(
    warnings.every((entry) => entry.level >= 40),
    'probe requests themselves are not logged at info',
  );
  await app.close();
});
