/**
 * The IMS signing-key ring: loads the keys from storage, decrypts them with the key-encryption key, signs with the
 * active one, publishes the public ones, follows rotations made by other instances, and runs the lifecycle steps.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config-types.js';
import { decryptPrivateKey } from '../crypto/key-encryption.js';
import type { SigningKey, SigningKeyState } from '../stores/records.js';
import type { PublishedKeys } from '../tokens/token-types.js';
import {
  SigningKeyError,
  mismatchedKeyError,
  noActiveKeyError,
  undecryptableKeysError,
} from './signing-key-errors.js';
import { createKidDeriver } from './signing-key-ids.js';
import {
  byCreation,
  insertNewSigningKey,
  promoteNextSigningKey,
  pruneRetiredSigningKeys,
  type SigningKeyStorage,
} from './signing-key-lifecycle.js';
import { rsaPublicJwk, type RsaPublicJwk } from './signing-key-material.js';

/** How often instances reload the keys by default (`startAutoRefresh`). */
export const DEFAULT_KEY_REFRESH_INTERVAL_MS = 30_000;
/** How long a `next` key must have been published before `rotate()` activates it, unless forced. */
export const DEFAULT_MIN_STAGED_MS = 300_000;

export interface SigningKeyRingOptions {
  storage: SigningKeyStorage;
  /** The 32-byte key-encryption key (AES-256-GCM) of the stored private keys. */
  kek: Buffer;
  /** Milliseconds since the epoch. */
  clock: () => number;
  config: Pick<Config, 'accessTokenLifetime' | 'clockSkew'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often every instance reloads the keys; also part of a retired key's retention. Default 30 s. */
  refreshIntervalMs?: number;
  /** How long a staged key must have been published before activation (gateways learn it first). Default 5 min. */
  minStagedMs?: number;
}

/** The key that signs new tokens. */
export interface ActiveSigner {
  kid: string;
  /** The decrypted private key, held only in memory (signed with in the thread pool, decision 0008). */
  privateKey: KeyObject;
}

/** What `pims key list` shows; no key material. */
export interface SigningKeyInfo {
  kid: string;
  state: SigningKeyState;
  createdAt: number;
  activatedAt: number | null;
  retiredAt: number | null;
  removeAfter: number | null;
  /** In `/ims/keys` now (retired keys drop out at `removeAfter`). */
  published: boolean;
}

export type RotationResult =
  | { step: 'staged'; kid: string; /** false when a concurrent run staged it */ created: boolean }
  | { step: 'activated'; kid: string; retired: Array<{ kid: string; removeAfter: number }> };

export interface SigningKeyRing extends PublishedKeys {
  /**
   * Loads and decrypts every stored key; throws a `SigningKeyError` if any can't be decrypted. With no keys at
   * all it creates the first active key, once across every instance sharing the database. Idempotent.
   */
  init(): Promise<{ createdKid: string | undefined }>;
  /** Reloads the keys from storage (another instance or the CLI may have rotated). Throws, keeping the old keys. */
  refresh(): Promise<void>;
  /** Calls `refresh()` every `intervalMs` (default `refreshIntervalMs`), logging failures. Returns a stop function. */
  startAutoRefresh(intervalMs?: number): () => void;
  /** The active key. Throws before `init()` has succeeded. */
  activeSigner(): ActiveSigner;
  /** One lifecycle step: stage a `next` key if there is none, else activate it (the old active key retires). */
  rotate(options?: { force?: boolean }): Promise<RotationResult>;
  /** Deletes retired keys past `removeAfter`; returns their ids. */
  prune(): Promise<{ removed: string[] }>;
  /** Every stored key as last loaded, oldest first. */
  list(): SigningKeyInfo[];
}

interface LoadedKey {
  record: SigningKey;
  publicJwk: RsaPublicJwk;
  privateKey: KeyObject;
}

interface Snapshot {
  keys: LoadedKey[]; // oldest first
  byKid: Map<string, LoadedKey>;
  active: LoadedKey | undefined;
}

interface JwksCache {
  snapshot: Snapshot;
  validUntil: number;
  value: { keys: Array<Record<string, unknown>> };
}

const stateOrder: Record<SigningKeyState, number> = { active: 0, next: 1, retired: 2 };

/** Creates a key ring; call `init()` before anything else. */
export function createSigningKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const { storage, kek, clock, logger } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_KEY_REFRESH_INTERVAL_MS;
  const minStagedMs = options.minStagedMs ?? DEFAULT_MIN_STAGED_MS;
  const kids = createKidDeriver(kek);
  // Tokens signed by a key that just retired live `accessTokenLifetime`; instances that have not refreshed yet keep
  // signing with it for up to one refresh interval; verifiers allow `clockSkew`.
  const retentionMs =
    (options.config.accessTokenLifetime + options.config.clockSkew) * 1000 + refreshIntervalMs;

  let snapshot: Snapshot | undefined;
  let loads = 0; // sequence of started loads, so an older load never replaces a newer one
  let adopted = 0;
  let initializing: Promise<{ createdKid: string | undefined }> | undefined;
  let refreshing: Promise<void> | undefined;
  let jwksCache: JwksCache | undefined;

  function loadKey(record: SigningKey, previous: Snapshot | undefined): LoadedKey {
    const known = previous?.byKid.get(record.kid);
    if (known && known.record.encryptedPrivateKey === record.encryptedPrivateKey) {
      return { record, publicJwk: known.publicJwk, privateKey: known.privateKey };
    }
    let pem: string;
    try {
      pem = decryptPrivateKey(kek, record.encryptedPrivateKey);
    } catch (err) {
      throw undecryptableKeysError(record.kid, err);
    }
    const privateKey = createPrivateKey(pem);
    const derived = rsaPublicJwk(createPublicKey(privateKey));
    const stored = record.publicJwk;
    if (stored.n !== derived.n || stored.e !== derived.e) throw mismatchedKeyError(record.kid);
    return { record, publicJwk: derived, privateKey };
  }

  async function load(): Promise<Snapshot & { seq: number }> {
    const seq = ++loads;
    const records = (await storage.signingKeys.listSigningKeys()).sort(byCreation);
    const keys = records.map((record) => loadKey(record, snapshot));
    const active = keys
      .filter((key) => key.record.state === 'active')
      .sort(
        (a, b) => (b.record.activatedAt ?? 0) - (a.record.activatedAt ?? 0) || byCreation(b.record, a.record),
      )[0];
    return { seq, keys, byKid: new Map(keys.map((key) => [key.record.kid, key])), active };
  }

  /** Makes a loaded snapshot current. With `requireActive`, one without an active key is refused (old one kept). */
  function adopt(next: Snapshot & { seq: number }, requireActive: boolean): void {
    if (requireActive && next.active === undefined) throw noActiveKeyError();
    if (next.seq < adopted) return;
    adopted = next.seq;
    const previousKid = snapshot?.active?.record.kid;
    const kid = next.active?.record.kid;
    if (previousKid !== undefined && kid !== undefined && previousKid !== kid) {
      logger.info({ kid, previousKid }, 'IMS signing key changed');
    }
    snapshot = next;
  }

  async function reload(requireActive: boolean): Promise<void> {
    adopt(await load(), requireActive);
  }

  /** Creates the first key, unless another instance did; returns its id if this call created it. */
  async function bootstrap(): Promise<string | undefined> {
    const kid = kids.bootstrap();
    if (!(await insertNewSigningKey({ storage, kek, now: clock() }, kid, 'active'))) return undefined;
    logger.info({ kid }, 'created the first IMS signing key');
    return kid;
  }

  async function doInit(): Promise<{ createdKid: string | undefined }> {
    let loaded = await load();
    let createdKid: string | undefined;
    if (loaded.keys.length === 0) {
      createdKid = await bootstrap();
      loaded = await load();
    }
    adopt(loaded, true);
    return { createdKid };
  }

  function ready(): Snapshot {
    if (snapshot === undefined) {
      throw new SigningKeyError(
        'SIGNING_KEY_RING_NOT_READY',
        'the signing-key ring is used before init() succeeded',
      );
    }
    return snapshot;
  }

  function buildJwks(current: Snapshot, now: number): JwksCache {
    const shown = current.keys
      .filter((key) => isPublished(key.record, now))
      .sort(
        (a, b) => stateOrder[a.record.state] - stateOrder[b.record.state] || byCreation(b.record, a.record),
      );
    const removals = shown.map((key) => key.record.removeAfter).filter((at): at is number => at !== null);
    const keys: Array<Record<string, unknown>> = shown.map((key) =>
      Object.freeze({
        kid: key.record.kid,
        kty: key.publicJwk.kty,
        n: key.publicJwk.n,
        e: key.publicJwk.e,
        alg: 'RS256',
        use: 'sig',
      }),
    );
    return {
      snapshot: current,
      validUntil: removals.length > 0 ? Math.min(...removals) : Number.POSITIVE_INFINITY,
      value: Object.freeze({ keys }),
    };
  }

  const ring: SigningKeyRing = {
    init() {
      initializing ??= doInit().catch((err: unknown) => {
        initializing = undefined;
        throw err;
      });
      return initializing;
    },

    refresh() {
      refreshing ??= reload(true).finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },

    startAutoRefresh(intervalMs = refreshIntervalMs) {
      const timer = setInterval(() => {
        ring.refresh().catch((err: unknown) => {
          const code = (err as { code?: unknown }).code;
          logger.error(
            { err: { code, message: (err as Error).message } },
            'reloading the IMS signing keys failed',
          );
        });
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },

    activeSigner() {
      const active = ready().active;
      if (active === undefined) throw noActiveKeyError();
      return { kid: active.record.kid, privateKey: active.privateKey };
    },

    async rotate({ force = false } = {}) {
      await reload(false);
      const now = clock();
      if (ready().keys.length === 0) {
        const kid = (await bootstrap()) ?? kids.bootstrap();
        await reload(true);
        return { step: 'activated', kid, retired: [] };
      }
      const current = ready();
      const next = current.keys.filter((key) => key.record.state === 'next')[0];
      if (next === undefined) {
        const parent = current.active ?? current.keys[current.keys.length - 1];
        const kid = parent === undefined ? kids.bootstrap() : kids.successorOf(parent.record.kid);
        const created = await insertNewSigningKey({ storage, kek, now }, kid, 'next');
        await reload(false);
        logger.info({ kid, created }, 'staged the next IMS signing key');
        return { step: 'staged', kid, created };
      }
      const stagedFor = now - next.record.createdAt;
      if (!force && stagedFor < minStagedMs) {
        throw new SigningKeyError(
          'NEXT_SIGNING_KEY_TOO_NEW',
          `the next signing key ${next.record.kid} was staged ${Math.floor(stagedFor / 1000)} s ago; ` +
            `activate it after ${Math.ceil(minStagedMs / 1000)} s, once gateways have refreshed their key sets`,
        );
      }
      const promotion = await promoteNextSigningKey(storage, now, retentionMs);
      await reload(false);
      if (promotion === undefined) {
        // A concurrent run activated it between our reload and our transaction.
        return { step: 'activated', kid: next.record.kid, retired: [] };
      }
      logger.info(
        { kid: promotion.activated, retired: promotion.retired },
        'activated the next IMS signing key',
      );
      return { step: 'activated', kid: promotion.activated, retired: promotion.retired };
    },

    async prune() {
      const removed = await pruneRetiredSigningKeys(storage, clock());
      if (removed.length > 0) logger.info({ removed }, 'removed retired IMS signing keys');
      if (snapshot !== undefined) await reload(false);
      return { removed };
    },

    list() {
      return describeSigningKeys(
        ready().keys.map((key) => key.record),
        clock(),
      );
    },

    jwks() {
      const current = ready();
      const now = clock();
      if (jwksCache === undefined || jwksCache.snapshot !== current || now >= jwksCache.validUntil) {
        jwksCache = buildJwks(current, now);
      }
      return jwksCache.value;
    },

    certificatePem(kid) {
      const key = ready().byKid.get(kid);
      return key !== undefined && isPublished(key.record, clock()) ? key.record.certificatePem : undefined;
    },
  };
  return ring;
}

/** True while a key belongs in `/ims/keys`: `next` and `active` always, `retired` until `removeAfter`. */
export function isPublished(record: Pick<SigningKey, 'state' | 'removeAfter'>, now: number): boolean {
  return record.state !== 'retired' || record.removeAfter === null || record.removeAfter > now;
}

/** Stored keys as `pims key list` shows them, oldest first; no key material. */
export function describeSigningKeys(records: readonly SigningKey[], now: number): SigningKeyInfo[] {
  return [...records].sort(byCreation).map((record) => ({
    kid: record.kid,
    state: record.state,
    createdAt: record.createdAt,
    activatedAt: record.activatedAt,
    retiredAt: record.retiredAt,
    removeAfter: record.removeAfter,
    published: isPublished(record, now),
  }));
}
