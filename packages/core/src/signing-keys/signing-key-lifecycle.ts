/**
 * The storage side of the signing-key lifecycle: next → active → retired → removed. Each step is safe to run
 * from several places at once: new keys get derived ids (see `signing-key-ids.ts`), so a racing duplicate insert is a
 * `UniqueViolation` that the loser treats as "already done"; promotion runs in one transaction.
 */
import { encryptPrivateKey } from '../crypto/key-encryption.js';
import type { SigningKey, SigningKeyState } from '../stores/records.js';
import type { Storage } from '../stores/stores.js';
import { generateSigningKeyMaterial } from './signing-key-material.js';

/** What the lifecycle steps need of storage. */
export type SigningKeyStorage = Pick<Storage, 'signingKeys' | 'transaction'>;

export interface InsertKeyDeps {
  storage: SigningKeyStorage;
  kek: Buffer;
  now: number;
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'STORAGE_UNIQUE_VIOLATION'
  );
}

/**
 * Generates a key pair and certificate for `kid`, encrypts the private key and inserts the key in `state`.
 * Returns false, without error, when a key with this id is already stored (another instance won the race).
 */
export async function insertNewSigningKey(
  deps: InsertKeyDeps,
  kid: string,
  state: Extract<SigningKeyState, 'active' | 'next'>,
): Promise<boolean> {
  const material = await generateSigningKeyMaterial(kid, deps.now);
  const encryptedPrivateKey = encryptPrivateKey(deps.kek, material.privateKeyPem);
  try {
    await deps.storage.signingKeys.insertSigningKey({
      kid,
      state,
      algorithm: 'RS256',
      publicJwk: { ...material.publicJwk, kid, alg: 'RS256', use: 'sig' },
      certificatePem: material.certificatePem,
      encryptedPrivateKey,
      createdAt: deps.now,
      activatedAt: state === 'active' ? deps.now : null,
      retiredAt: null,
      removeAfter: null,
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Oldest first: the order in which staged keys are promoted. */
export function byCreation(a: SigningKey, b: SigningKey): number {
  return a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0);
}

export interface Promotion {
  /** The key that now signs. */
  activated: string;
  /** Keys that stopped signing, and when they may be removed. */
  retired: Array<{ kid: string; removeAfter: number }>;
}

/**
 * In one transaction: the oldest `next` key becomes `active`, every `active` key becomes `retired` with
 * `removeAfter = now + retentionMs`. Returns undefined when there is no `next` key (e.g. a concurrent run promoted it).
 */
export async function promoteNextSigningKey(
  storage: SigningKeyStorage,
  now: number,
  retentionMs: number,
): Promise<Promotion | undefined> {
  return storage.transaction(async (stores) => {
    const keys = await stores.signingKeys.listSigningKeys({ states: ['next', 'active'] });
    const next = keys.filter((key) => key.state === 'next').sort(byCreation)[0];
    if (next === undefined) return undefined;
    const removeAfter = now + retentionMs;
    const retired: Promotion['retired'] = [];
    for (const key of keys) {
      if (key.state !== 'active') continue;
      await stores.signingKeys.updateSigningKey(key.kid, { state: 'retired', retiredAt: now, removeAfter });
      retired.push({ kid: key.kid, removeAfter });
    }
    await stores.signingKeys.updateSigningKey(next.kid, { state: 'active', activatedAt: now });
    return { activated: next.kid, retired };
  });
}

/** Deletes retired keys whose `removeAfter` has passed; returns their ids. Never touches `next` or `active` keys. */
export async function pruneRetiredSigningKeys(
  storage: Pick<Storage, 'signingKeys'>,
  now: number,
): Promise<string[]> {
  const retired = await storage.signingKeys.listSigningKeys({ states: ['retired'] });
  const removed: string[] = [];
  for (const key of retired) {
    if (key.removeAfter === null || key.removeAfter > now) continue;
    if (await storage.signingKeys.deleteSigningKeyByKid(key.kid)) removed.push(key.kid);
  }
  return removed;
}
