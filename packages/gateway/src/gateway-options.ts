import type { FastifyPluginAsync } from 'fastify';

/** Milliseconds since the epoch; injected so tests move time instead of sleeping. */
export interface Clock {
  now(): number;
}

/** The subset of a pino / Fastify logger the gateway writes to. */
export interface GatewayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A `fetch` compatible function (the global one by default). */
export type FetchLike = (
  input: string,
  init?: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** Requests allowed per client id in a fixed window. */
export interface RateLimitOptions {
  /** Requests per window and client id. Default 100. */
  max: number;
  /** Window length in milliseconds. Default 1000. */
  windowMs: number;
}

/**
 * Where authenticated requests go: an `http:`/`https:` base URL (proxied, streamed) or a Fastify plugin whose routes
 * are served in process behind the checks (it reads the caller from the `X-Pims-*` request headers, as a remote
 * upstream would).
 */
export type Upstream = string | URL | FastifyPluginAsync;

export interface PartnerGatewayOptions {
  /** Base URL the gateway fetches `/ims/keys` and `/ims/revocations` from (may be an internal address). */
  imsUrl: string;
  /** Expected `iss` of access tokens: the IMS's public base URL. Default: `imsUrl`. */
  issuer?: string;
  /** Where authenticated requests go. Without it the host application's own routes are protected. */
  upstream?: Upstream;
  /** Directory for the last-known-good key set (and revocations). Without it nothing is persisted. */
  dataDir?: string;
  /** Revocation feed poll interval; the bound within which a revocation takes effect. Default 5000. */
  revocationPollMs?: number;
  /**
   * How many sequence numbers of the revocation feed each poll reads again below its cursor, so that a revocation
   * committed after a later one (PostgreSQL takes `seq` at insert, shows the row at commit) is still learnt.
   * 0 to 1000 (one feed page). Default 256. See docs/decisions/0003-revocation-feed.md.
   */
  revocationOverlap?: number;
  /** Background key-set refresh interval. Default 300000 (5 min). */
  keyRefreshMs?: number;
  /** Minimum time between key-set fetches caused by an unknown `kid`. Default 30000. */
  unknownKidCooldownMs?: number;
  /** Timeout of one IMS fetch (keys or revocations). Default 3000. */
  imsTimeoutMs?: number;
  /** `redis://…`: share the rate-limit counters between gateway instances. */
  redisUrl?: string;
  /** Per-client rate limit, or `false` to turn it off. Default 100 requests per second. */
  rateLimit?: RateLimitOptions | false;
  /** Upper bound of the total size of request headers (names + values), bytes. Default 8192. */
  maxHeaderBytes?: number;
  /** Upper bound of the bearer token length, bytes. Default 4096. */
  maxTokenBytes?: number;
  /** Entries of the verified-token cache. Default 10000. */
  tokenCacheSize?: number;
  /** Upstream response timeout (until response headers), ms. Default 30000. */
  upstreamTimeoutMs?: number;
  /** Forward the caller's `Authorization` header upstream. Default false: the upstream gets identity headers only. */
  forwardAuthorization?: boolean;
  fetch?: FetchLike;
  clock?: Clock;
  logger?: GatewayLogger;
}

/** The options with every default applied. */
export interface ResolvedGatewayOptions {
  imsUrl: string;
  issuer: string;
  upstream: Upstream | undefined;
  dataDir: string | undefined;
  revocationPollMs: number;
  revocationOverlap: number;
  keyRefreshMs: number;
  unknownKidCooldownMs: number;
  imsTimeoutMs: number;
  redisUrl: string | undefined;
  rateLimit: RateLimitOptions | false;
  maxHeaderBytes: number;
  maxTokenBytes: number;
  tokenCacheSize: number;
  upstreamTimeoutMs: number;
  forwardAuthorization: boolean;
  fetch: FetchLike;
  clock: Clock;
}

export const systemClock: Clock = { now: () => Date.now() };

const stripSlash = (url: string) => url.replace(/\/+$/, '');

/** The largest `revocationOverlap`: one page of the IMS revocation feed, so the overlap costs one request. */
export const MAX_REVOCATION_OVERLAP = 1000;

function revocationOverlap(value = 256): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_REVOCATION_OVERLAP)
    throw new RangeError(`revocationOverlap must be an integer from 0 to ${MAX_REVOCATION_OVERLAP}`);
  return value;
}

/** Applies the defaults. */
export function resolveGatewayOptions(options: PartnerGatewayOptions): ResolvedGatewayOptions {
  const imsUrl = stripSlash(options.imsUrl);
  return {
    imsUrl,
    issuer: stripSlash(options.issuer ?? imsUrl),
    upstream: options.upstream,
    dataDir: options.dataDir,
    revocationPollMs: options.revocationPollMs ?? 5000,
    revocationOverlap: revocationOverlap(options.revocationOverlap),
    keyRefreshMs: options.keyRefreshMs ?? 300_000,
    unknownKidCooldownMs: options.unknownKidCooldownMs ?? 30_000,
    imsTimeoutMs: options.imsTimeoutMs ?? 3000,
    redisUrl: options.redisUrl,
    rateLimit: options.rateLimit ?? { max: 100, windowMs: 1000 },
    maxHeaderBytes: options.maxHeaderBytes ?? 8192,
    maxTokenBytes: options.maxTokenBytes ?? 4096,
    tokenCacheSize: options.tokenCacheSize ?? 10_000,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? 30_000,
    forwardAuthorization: options.forwardAuthorization ?? false,
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock ?? systemClock,
  };
}
