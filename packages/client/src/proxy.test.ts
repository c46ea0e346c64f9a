import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from './errors.js';
import { bypassesProxy, createProxyAwareFetch, proxyFor, type UndiciModule } from './proxy.js';

void test('HTTPS_PROXY applies to https URLs, HTTP_PROXY to http ones, either case', () => {
  const env = { HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'http://plain:8080' };
  assert.equal(proxyFor(new URL('https://partners.adobe.io/ping'), env), 'http://proxy:3128');
  assert.equal(proxyFor(new URL('http://127.0.0.1:8180/ims'), env), 'http://plain:8080');
  assert.equal(proxyFor(new URL('https://x'), {}), undefined);
});

void test('NO_PROXY exempts hosts, domain suffixes, host:port and *', () => {
  const url = (u: string) => new URL(u);
  assert.equal(bypassesProxy(url('https://ims-na1.adobelogin.com'), 'localhost, .adobelogin.com'), true);
  assert.equal(bypassesProxy(url('https://adobelogin.com'), '*.adobelogin.com'), true);
  assert.equal(bypassesProxy(url('https://notadobelogin.com'), 'adobelogin.com'), false);
  assert.equal(bypassesProxy(url('http://127.0.0.1:8180'), '127.0.0.1:8180'), true);
  assert.equal(bypassesProxy(url('http://127.0.0.1:8181'), '127.0.0.1:8180'), false);
  assert.equal(bypassesProxy(url('https://anything'), '*'), true);
  assert.equal(bypassesProxy(url('http://[::1]:80'), '::1'), true);
  assert.equal(bypassesProxy(url('https://x'), ''), false);
});

void test('a proxied request goes through undici with a ProxyAgent, created once per proxy', async () => {
  const agents: string[] = [];
  const calls: { url: string; dispatcher: unknown }[] = [];
  class ProxyAgent {
    constructor(readonly proxy: string) {
      agents.push(proxy);
    }
  }
  const undici: UndiciModule = {
    ProxyAgent,
    fetch: (input, init) => {
      calls.push({ url: String(input), dispatcher: (init as { dispatcher?: unknown }).dispatcher });
      return Promise.resolve(new Response('ok'));
    },
  };
  let loads = 0;
  const proxied = createProxyAwareFetch({
    env: { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost' },
    loadUndici: () => ((loads += 1), Promise.resolve(undici)),
  });
  await proxied('https://partners.adobe.io/ping', { method: 'GET' });
  await proxied('https://ims-na1.adobelogin.com/ims/token/v3', { method: 'POST' });
  assert.equal(loads, 1);
  assert.deepEqual(agents, ['http://proxy:3128']);
  assert.equal(calls.length, 2);
  assert.ok(calls[0]?.dispatcher instanceof ProxyAgent);
});

void test('without undici a proxied request fails clearly before anything is sent; NO_PROXY hosts still work', async () => {
  const proxied = createProxyAwareFetch({
    env: { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '127.0.0.1' },
    loadUndici: () => Promise.reject(new Error("Cannot find package 'undici'")),
  });
  await assert.rejects(proxied('https://partners.adobe.io/ping'), (e: unknown) => {
    assert.ok(e instanceof ConfigurationError);
    assert.equal(e.code, 'proxy_unavailable');
    assert.match(e.message, /npm install undici/);
    assert.match(e.message, /fetch/);
    return true;
  });
  // A NO_PROXY host is fetched directly (and fails only because nothing listens there).
  await assert.rejects(proxied('http://127.0.0.1:1/'), (e: unknown) => !(e instanceof ConfigurationError));
});

void test('the real lazy import reports a missing undici as proxy_unavailable', async () => {
  const proxied = createProxyAwareFetch({ env: { HTTPS_PROXY: 'http://proxy:3128' } });
  let installed = true;
  try {
    const specifier = 'undici';
    await import(specifier);
  } catch {
    installed = false;
  }
  if (installed) return;
  await assert.rejects(proxied('https://partners.adobe.io/ping'), ConfigurationError);
});
