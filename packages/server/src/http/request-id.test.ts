import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { requestIdFrom } from './request-id.js';

const withHeader = (value: string | string[] | undefined) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

test('a sane caller request id is echoed', () => {
  assert.equal(requestIdFrom(withHeader('abc-123_x.y:z')), 'abc-123_x.y:z');
});

test('a missing, repeated, too long or unsafe request id is replaced by a UUID', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const value of [undefined, ['a', 'b'], 'x'.repeat(129), 'evil\r\nSet-Cookie: a=b', '<script>', '']) {
    assert.match(requestIdFrom(withHeader(value)), uuid, `for ${JSON.stringify(value)}`);
  }
});
