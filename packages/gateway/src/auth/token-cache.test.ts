import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenCache, tokenKey } from './token-cache.js';
import type { VerifiedToken } from './verified-token.js';

const token = (jti: string, expiresAt: number) => ({ jti, expiresAt }) as unknown as VerifiedToken;

void test('evicts the least recently used entry: a hit refreshes its place', () => {
  const cache = new TokenCache(2);
  cache.set('a', token('a', 1_000));
  cache.set('b', token('b', 1_000));
  assert.equal(cache.get('a', 0)?.jti, 'a'); // a is now the most recent
  cache.set('c', token('c', 1_000)); // evicts b
  assert.equal(cache.get('b', 0), undefined);
  assert.equal(cache.get('a', 0)?.jti, 'a');
  assert.equal(cache.get('c', 0)?.jti, 'c');
  assert.equal(cache.size, 2);
});

void test('an expired entry is a miss and is dropped', () => {
  const cache = new TokenCache(10);
  cache.set('a', token('a', 1_000));
  assert.equal(cache.get('a', 999)?.jti, 'a');
  assert.equal(cache.get('a', 1_000), undefined);
  assert.equal(cache.size, 0);
});

void test('capacity 0 caches nothing', () => {
  const cache = new TokenCache(0);
  cache.set('a', token('a', 1_000));
  assert.equal(cache.get('a', 0), undefined);
  assert.equal(cache.size, 0);
});

void test('ever-new tokens keep the cache at its bound (the gateway under always-new tokens)', () => {
  const cache = new TokenCache(100);
  for (let i = 0; i < 10_000; i++) cache.set(tokenKey(`token-${i}`), token(`${i}`, 1_000));
  assert.equal(cache.size, 100);
  assert.equal(cache.get(tokenKey('token-9999'), 0)?.jti, '9999');
  assert.equal(cache.get(tokenKey('token-9899'), 0), undefined);
});
