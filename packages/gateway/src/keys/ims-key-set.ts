/**
 * The IMS signing keys the gateway trusts: the IMS's JWKS (`GET {ims}/ims/keys`), fetched at start, refreshed in the
 * background and when a token names an unknown `kid` (one fetch at a time, with a cooldown between the fetches an
 * unknown `kid` causes), and persisted as the last-known-good set so that a gateway (re)started while the IMS is down
 * still validates tokens of known keys. An unknown key fails closed. Keys come from nowhere else.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { GatewayLogger, ResolvedGatewayOptions } from '../gateway-options.js';
import { readJsonFile, writeJsonAtomic } from './json-file.js';

export interface ImsKeySet {
  /** The trusted key named `kid`, or undefined (no I/O). */
  get(kid: string): KeyObject | undefined;
  /**
   * The key named `kid`: at once when it is known, else after fetching the key set once (subject to the cooldown).
   */
  resolve(kid: string): KeyObject | Promise<KeyObject | undefined>;
  /** Loads the persisted set, fetches the current one, and starts the background refresh. Never throws. */
  start(): Promise<void>;
  /** Fetches the key set now (single flight). Resolves false when the IMS could not be read. */
  refresh(): Promise<boolean>;
  /** Stops the timer and waits for a fetch (and its write) in progress. */
  stop(): Promise<void>;
  /** Number of trusted keys. */
  readonly size: number;
}

type Jwk = Record<string, unknown>;

const MIN_RSA_BITS = 2048;

/** The RS256 signing keys of a JWKS document, by `kid`; anything else in it is ignored. */
export function parseJwks(document: unknown): { keys: Map<string, KeyObject>; jwks: Jwk[] } {
  const keys = new Map<string, KeyObject>();
  const jwks: Jwk[] = [];
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return { keys, jwks };
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const jwk = entry as Jwk;
    if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || jwk.kid === '') continue;
    if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
      keys.set(jwk.kid, key);
      jwks.push({ kty: 'RSA', kid: jwk.kid, n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig' });
    } catch {
      continue;
    }
  }
  return { keys, jwks };
}

export interface ImsKeySetDeps {
  options: Pick<
    ResolvedGatewayOptions,
    'imsUrl' | 'dataDir' | 'keyRefreshMs' | 'unknownKidCooldownMs' | 'imsTimeoutMs' | 'fetch' | 'clock'
  >;
  logger: GatewayLogger;
}

/** The persisted last-known-good key set, under `dataDir`. */
export function keySetPath(dataDir: string): string {
  return join(dataDir, 'gateway', 'ims-keys.json');
}

export function createImsKeySet({ options, logger }: ImsKeySetDeps): ImsKeySet {
  let keys = new Map<string, KeyObject>();
  let inFlight: Promise<boolean> | undefined;
  let lastUnknownKidFetch = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let persisted = '';
  const url = `${options.imsUrl}/ims/keys`;

  async function fetchOnce(): Promise<boolean> {
    let document: unknown;
    try {
      const response = await options.fetch(url, {
        signal: AbortSignal.timeout(options.imsTimeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      document = await response.json();
    } catch (err) {
      logger.warn({ err: String(err) }, 'gateway: IMS key set unavailable; keeping the last known good one');
      return false;
    }
    const parsed = parseJwks(document);
    if (parsed.keys.size === 0) {
      logger.warn({}, 'gateway: IMS key set has no usable RS256 key; keeping the last known good one');
      return false;
    }
    keys = parsed.keys;
    await persist(parsed.jwks);
    return true;
  }

  async function persist(jwks: Jwk[]): Promise<void> {
    if (options.dataDir === undefined) return;
    const text = JSON.stringify(jwks);
    if (text === persisted) return;
    try {
      await writeJsonAtomic(keySetPath(options.dataDir), { savedAt: options.clock.now(), keys: jwks });
      persisted = text;
    } catch (err) {
      logger.error({ err: String(err) }, 'gateway: could not persist the IMS key set');
    }
  }

  function refresh(): Promise<boolean> {
    inFlight ??= fetchOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    get: (kid) => keys.get(kid),
    get size() {
      return keys.size;
    },
    refresh,
    resolve(kid) {
      const known = keys.get(kid);
      if (known !== undefined) return known;
      if (inFlight === undefined) {
        const now = options.clock.now();
        if (now - lastUnknownKidFetch < options.unknownKidCooldownMs) return Promise.resolve(undefined);
        lastUnknownKidFetch = now;
      }
      return refresh().then(() => keys.get(kid));
    },
    async start() {
      if (options.dataDir !== undefined) {
        const saved = parseJwks(await readJsonFile(keySetPath(options.dataDir)));
        if (saved.keys.size > 0) {
          keys = saved.keys;
          persisted = JSON.stringify(saved.jwks);
        }
      }
      const fetched = await refresh();
      if (!fetched && keys.size === 0)
        logger.error({}, 'gateway: no IMS key known; every token fails until the IMS answers');
      timer = setInterval(() => void refresh(), options.keyRefreshMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
