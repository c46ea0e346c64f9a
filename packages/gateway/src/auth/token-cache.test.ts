import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenCache, tokenKey } from './token-cache.js';
import type { VerifiedToken } from './verified-token.js';

const token = (jti: string, expiresAt: number, clientId = 'client-a'): VerifiedToken => ({
  kid: 'k1',
  jti,
  clientId,
  orgId: 'org-a',
  technicalAccountId: 'ta-a',
  createdAt: 1,
  expiresAt,
  hasMetascope: true,
});

/** Tokens whose digests fall into the same set of a cache of `capacity` (8 slots a set). */
function sameSet(capacity: number, count: number): string[] {
  const sets = Math.floor(capacity / 8);
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    if (tokenKey(`t-${i}`).readUInt32LE(0) % sets === 0) out.push(`t-${i}`);
  }
  return out;
}

void test('a hit gives back every field that was stored, in a new object each time', () => {
  const cache = new TokenCache(16);
  const stored = { ...token('j1', 5_000), hasMetascope: false, createdAt: 1234 };
  cache.set(tokenKey('a'), stored);
  const first = cache.get(tokenKey('a'), 0);
  assert.deepEqual(first, stored);
  const second = cache.get(tokenKey('a'), 0);
  assert.deepEqual(second, stored);
  assert.notEqual(first, second);
});

void test('a token differing in one character misses; each token gets its own entry', () => {
  const cache = new TokenCache(1_000);
  for (let i = 0; i < 500; i++) cache.set(tokenKey(`token-${i}`), token(`j${i}`, 1_000));
  assert.equal(cache.get(tokenKey('token-5000'), 0), undefined);
  assert.equal(cache.get(tokenKey('token-'), 0), undefined);
  let hits = 0;
  for (let i = 0; i < 500; i++) if (cache.get(tokenKey(`token-${i}`), 0)?.jti === `j${i}`) hits++;
  // 500 tokens in 125 sets of 8: a set that drew more than 8 of them keeps its 8 most recent.
  assert.ok(hits > 450, `${hits} of 500 kept`);
  assert.equal(cache.size, hits);
});

void test('a full set evicts its least recently used token: a hit refreshes its place', () => {
  const cache = new TokenCache(16);
  const names = sameSet(16, 9);
  names.slice(0, 8).forEach((name, i) => cache.set(tokenKey(name), token(name, 1_000 + i)));
  assert.equal(cache.get(tokenKey(names[0] ?? ''), 0)?.jti, names[0]); // the oldest is now the most recent
  cache.set(tokenKey(names[8] ?? ''), token(names[8] ?? '', 1_000)); // evicts names[1]
  assert.equal(cache.get(tokenKey(names[1] ?? ''), 0), undefined);
  for (const name of [names[0], ...names.slice(2)]) {
    assert.equal(cache.get(tokenKey(name ?? ''), 0)?.jti, name);
  }
  assert.equal(cache.size, 8);
});

void test('an entry handed out is not changed when its slot is reused by another token', () => {
  const cache = new TokenCache(8);
  const names = sameSet(8, 9);
  cache.set(tokenKey(names[0] ?? ''), token('first', 1_000, 'client-first'));
  const given = cache.get(tokenKey(names[0] ?? ''), 0);
  names.slice(1).forEach((name) => cache.set(tokenKey(name), token(name, 2_000, 'client-other')));
  assert.equal(cache.get(tokenKey(names[0] ?? ''), 0), undefined);
  assert.deepEqual(given, token('first', 1_000, 'client-first'));
});

void test('setting a token again updates its entry instead of adding a second', () => {
  const cache = new TokenCache(8);
  cache.set(tokenKey('a'), token('j1', 1_000));
  cache.set(tokenKey('a'), token('j1', 2_000));
  assert.equal(cache.size, 1);
  assert.equal(cache.get(tokenKey('a'), 1_500)?.expiresAt, 2_000);
});

void test('an expired entry is a miss and is dropped', () => {
  const cache = new TokenCache(10);
  cache.set(tokenKey('a'), token('a', 1_000));
  assert.equal(cache.get(tokenKey('a'), 999)?.jti, 'a');
  assert.equal(cache.get(tokenKey('a'), 1_000), undefined);
  assert.equal(cache.size, 0);
});

void test('capacity 0 caches nothing', () => {
  const cache = new TokenCache(0);
  cache.set(tokenKey('a'), token('a', 1_000));
  assert.equal(cache.get(tokenKey('a'), 0), undefined);
  assert.equal(cache.size, 0);
  assert.equal(cache.capacity, 0);
});

void test('ever-new tokens keep the cache at its bound (the gateway under always-new tokens)', () => {
  const cache = new TokenCache(100);
  assert.equal(cache.capacity, 96); // 12 sets of 8: never more than asked for
  for (let i = 0; i < 10_000; i++) cache.set(tokenKey(`token-${i}`), token(`${i}`, 1_000));
  assert.equal(cache.size, 96);
  // Every set keeps its most recent tokens, so the latest ones are there and the early ones long gone.
  for (let i = 9_992; i < 10_000; i++) assert.equal(cache.get(tokenKey(`token-${i}`), 0)?.jti, `${i}`);
  for (let i = 0; i < 100; i++) assert.equal(cache.get(tokenKey(`token-${i}`), 0), undefined);
});

void test('small capacities are exact: a cache of 2 is a two-entry LRU', () => {
  const cache = new TokenCache(2);
  assert.equal(cache.capacity, 2);
  cache.set(tokenKey('a'), token('a', 1_000));
  cache.set(tokenKey('b'), token('b', 1_000));
  assert.equal(cache.get(tokenKey('a'), 0)?.jti, 'a');
  cache.set(tokenKey('c'), token('c', 1_000)); // evicts b
  assert.equal(cache.get(tokenKey('b'), 0), undefined);
  assert.equal(cache.get(tokenKey('a'), 0)?.jti, 'a');
  assert.equal(cache.get(tokenKey('c'), 0)?.jti, 'c');
  assert.equal(cache.size, 2);
});
