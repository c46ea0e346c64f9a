import { ConfigurationError } from './errors.js';
import type { FetchLike } from './ims-request.js';

/**
 * The part of `undici` the SDK uses (for injecting a specific undici build).
 *
 * @example
 * ```ts
 * import * as undici from 'undici';
 * const fetch = createProxyAwareFetch({ loadUndici: async () => undici as unknown as UndiciModule });
 * ```
 */
export interface UndiciModule {
  ProxyAgent: new (proxyUrl: string) => object;
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Splits a NO_PROXY entry into host and optional port; bare IPv6 addresses have no port. */
function splitHostPort(entry: string): { name: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', entryPort: bracketed[2] };
  const parts = entry.split(':');
  const [host, entryPort] = parts.length === 2 ? parts : [entry, undefined];
  return { name: (host ?? '').replace(/^\*?\./, ''), entryPort };
}

/**
 * Whether `url` is exempt from proxying by `NO_PROXY` (comma or space separated hosts, `.suffix`, `*.suffix`,
 * `host:port`, or `*`). IP ranges (CIDR) are not supported.
 *
 * @example
 * ```ts
 * bypassesProxy(new URL('https://api.internal.example'), '.internal.example,localhost'); // true
 * ```
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      const entry = raw.toLowerCase();
      if (entry === '*') return true;
      const { name, entryPort } = splitHostPort(entry);
      if (entryPort && entryPort !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/**
 * The proxy URL for a request (`HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http, either case), or undefined
 * when none is set or `NO_PROXY` exempts the host.
 *
 * @example
 * ```ts
 * proxyFor(new URL('https://partners.adobe.io/ping'), { HTTPS_PROXY: 'http://proxy:3128' }); // "http://proxy:3128"
 * ```
 */
export function proxyFor(url: URL, env: Env = process.env): string | undefined {
  const proxy =
    url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return undefined;
  return bypassesProxy(url, env.NO_PROXY ?? env.no_proxy) ? undefined : proxy;
}

async function importUndici(): Promise<UndiciModule> {
  // A variable specifier keeps undici an optional peer: neither TypeScript nor bundlers try to resolve it.
  const specifier = 'undici';
  return (await import(specifier)) as UndiciModule;
}

/**
 * The SDK's default fetch. Node 20's global fetch ignores `HTTPS_PROXY`/`NO_PROXY`; this one honours them by
 * sending proxied requests through the optional peer dependency `undici` (`ProxyAgent`), loaded on first use.
 * Without undici installed a proxied request fails with `proxy_unavailable` before anything is sent.
 * Requests that need no proxy use `globalThis.fetch`.
 *
 * @example
 * ```ts
 * // HTTPS_PROXY=http://proxy.corp:3128 NO_PROXY=localhost,.corp   (and: npm install undici)
 * const fetch = createProxyAwareFetch();
 * const client = createPartnerClient({ environment: 'production', credentials, fetch });
 * ```
 */
export function createProxyAwareFetch(
  options: { env?: Env; loadUndici?: () => Promise<UndiciModule> } = {},
): FetchLike {
  const env = options.env ?? process.env;
  const load = options.loadUndici ?? importUndici;
  let undici: Promise<UndiciModule> | undefined;
  const agents = new Map<string, object>();
  return async (input, init) => {
    const url = new URL(String(input));
    const proxy = proxyFor(url, env);
    if (!proxy) return globalThis.fetch(input, init);
    undici ??= load();
    let mod: UndiciModule;
    try {
      mod = await undici;
    } catch {
      undici = undefined;
      throw new ConfigurationError(
        `A proxy is configured (HTTPS_PROXY/HTTP_PROXY) but the optional dependency "undici" is not installed: ` +
          `run "npm install undici", set NO_PROXY for this host, or pass your own \`fetch\` option`,
        'proxy_unavailable',
      );
    }
    let agent = agents.get(proxy);
    if (!agent) {
      agent = new mod.ProxyAgent(proxy);
      agents.set(proxy, agent);
    }
    // `dispatcher` is undici's extension of RequestInit; the agent comes from the same undici as `fetch`.
    return mod.fetch(input, { ...init, dispatcher: agent } as RequestInit);
  };
}
