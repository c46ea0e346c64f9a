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

void test('a token that hit by digest is found again by its exact string, and only while its slot holds it', () => {
  const cache = new TokenCache(8);
  const names = sameSet(8, 9);
  const first = names[0] ?? '';
  cache.set(tokenKey(first), token('first', 1_000));
  assert.equal(cache.recent(first, 0), undefined); // seen once: not remembered by string yet
  assert.equal(cache.get(tokenKey(first), 0)?.jti, 'first'); // without the token: still not remembered
  assert.equal(cache.recent(first, 0), undefined);
  assert.equal(cache.get(tokenKey(first), 0, first)?.jti, 'first');
  assert.deepEqual(cache.recent(first, 0), token('first', 1_000));
  assert.notEqual(cache.recent(first, 0), cache.recent(first, 0)); // a new object each time
  // Another string, even one character off, is not found.
  assert.equal(cache.recent(`${first}x`, 0), undefined);
  assert.equal(cache.recent(first.slice(1), 0), undefined);
  // Expired: gone by string too.
  assert.equal(cache.recent(first, 1_000), undefined);
  assert.equal(cache.get(tokenKey(first), 0), undefined);
});

void test('a remembered token whose slot went to another token is not found by its string', () => {
  const cache = new TokenCache(8);
  const names = sameSet(8, 9);
  const first = names[0] ?? '';
  cache.set(tokenKey(first), token('first', 1_000, 'client-first'));
  cache.get(tokenKey(first), 0, first);
  // Eight newer tokens fill the set: the first one's slot is reused by one of them.
  names.slice(1).forEach((name) => cache.set(tokenKey(name), token(name, 5_000, 'client-other')));
  assert.equal(cache.recent(first, 0), undefined);
  assert.equal(cache.get(tokenKey(first), 0), undefined);
  // Stored again, it is a new entry: remembered only after its next hit by digest.
  cache.set(tokenKey(first), token('first', 1_000, 'client-first'));
  assert.equal(cache.recent(first, 0), undefined);
  cache.get(tokenKey(first), 0, first);
  assert.equal(cache.recent(first, 0)?.clientId, 'client-first');
});

void test('storing the same token again keeps it remembered by its string, with the new fields', () => {
  const cache = new TokenCache(8);
  cache.set(tokenKey('a'), token('j1', 1_000));
  cache.get(tokenKey('a'), 0, 'a');
  cache.set(tokenKey('a'), token('j1', 2_000));
  assert.equal(cache.recent('a', 1_500)?.expiresAt, 2_000);
});

void test('two tokens with the same ending are told apart by their whole string', () => {
  const cache = new TokenCache(64);
  const ending = 'x'.repeat(40);
  const a = `a.${ending}`;
  const b = `b.${ending}`;
  cache.set(tokenKey(a), token('a', 1_000));
  cache.get(tokenKey(a), 0, a);
  assert.equal(cache.recent(b, 0), undefined);
  assert.equal(cache.recent(a, 0)?.jti, 'a');
  cache.set(tokenKey(b), token('b', 1_000));
  cache.get(tokenKey(b), 0, b); // takes the ending's place
  assert.equal(cache.recent(b, 0)?.jti, 'b');
  assert.equal(cache.recent(a, 0), undefined); // a is still cached by digest, only not by string
  assert.equal(cache.get(tokenKey(a), 0)?.jti, 'a');
});
