/**
 * Cached lookup of what the token endpoints need about a client: the credential, whether its org is active, its
 * secret hashes and its usable certificates (parsed once into verification keys).
 *
 * Entries live at most `ttlMs` (≤ 5 s), so a credential disabled, a secret removed or a certificate revoked stops
 * working within 5 s on every instance; `invalidate(clientId)` makes it immediate on this one. Concurrent lookups
 * of one client share a single storage round trip. Failures are not cached.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { Credential } from '../../stores/records.js';
import type { Stores } from '../../stores/stores.js';
import type { Clock } from '../ims-settings.js';

export const MAX_CLIENT_CACHE_TTL_MS = 5000;

export interface VerificationCertificate {
  id: string;
  notBefore: number;
  notAfter: number;
  /** The certificate's RSA public key (`@pims/contracts/jws` verifies with it). */
  key: KeyObject;
}

/** A stored client secret as authentication needs it: its id (to note its use) and its keyed hash. */
export interface ClientSecretHash {
  id: string;
  hash: string;
}

export interface ClientRecord {
  credential: Credential;
  orgActive: boolean;
  secrets: readonly ClientSecretHash[];
  /** Active certificates whose public key could be read as an RS256 key; validity is checked at use. */
  certificates: readonly VerificationCertificate[];
}

export interface ClientDirectory {
  find(clientId: string): Promise<ClientRecord | undefined>;
  /** Drops the cached entry now (after a change made on this instance). */
  invalidate(clientId: string): void;
  clear(): void;
}

export type ClientDirectoryStores = Pick<
  Stores,
  'credentials' | 'organizations' | 'clientSecrets' | 'certificates'
>;

export interface ClientDirectoryOptions {
  stores: ClientDirectoryStores;
  clock: Clock;
  /** Default and maximum 5000. 0 disables caching. */
  ttlMs?: number;
  /**
   * Entries kept at most (default 10,000). When full, stale entries are swept, then the oldest are dropped down to nine
   * tenths of the bound, so that lookups of ever-new client ids pay for one sweep per tenth of the bound, not one per
   * lookup.
   */
  maxEntries?: number;
}

interface Entry {
  loadedAt: number;
  value: Promise<ClientRecord | undefined>;
}

export async function loadClientRecord(
  stores: ClientDirectoryStores,
  clientId: string,
): Promise<ClientRecord | undefined> {
  const credential = await stores.credentials.findCredentialByClientId(clientId);
  if (credential === undefined) return undefined;
  const [org, secrets, certificates] = await Promise.all([
    stores.organizations.findOrganizationById(credential.orgId),
    stores.clientSecrets.listClientSecrets(credential.orgId, credential.id),
    stores.certificates.listCertificates(credential.orgId, credential.id, { status: 'active' }),
  ]);
  const keys = certificates
    .filter((certificate) => certificate.status === 'active')
    .map((certificate): VerificationCertificate | undefined => {
      let key: KeyObject;
      try {
        key = new X509Certificate(certificate.pem).publicKey;
      } catch {
        return undefined; // unreadable: it can verify nothing
      }
      // Not an RSA key of 2048 bits or more: it can verify no RS256 assertion.
      if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
        return undefined;
      return { id: certificate.id, notBefore: certificate.notBefore, notAfter: certificate.notAfter, key };
    });
  return {
    credential,
    orgActive: org?.status === 'active',
    secrets: secrets.map((secret) => ({ id: secret.id, hash: secret.secretHash })),
    certificates: keys.filter((key): key is VerificationCertificate => key !== undefined),
  };
}

export function createClientDirectory(options: ClientDirectoryOptions): ClientDirectory {
  const ttlMs = Math.min(Math.max(0, options.ttlMs ?? MAX_CLIENT_CACHE_TTL_MS), MAX_CLIENT_CACHE_TTL_MS);
  const maxEntries = options.maxEntries ?? 10_000;
  const keepAfterSweep = Math.floor(maxEntries * 0.9);
  const entries = new Map<string, Entry>();

  function evictStale(now: number): void {
    for (const [clientId, entry] of entries) {
      if (now - entry.loadedAt >= ttlMs) entries.delete(clientId);
    }
    for (const clientId of entries.keys()) {
      if (entries.size <= keepAfterSweep) break;
      entries.delete(clientId);
    }
  }

  return {
    find(clientId) {
      const now = options.clock.now();
      const cached = entries.get(clientId);
      if (cached !== undefined && now - cached.loadedAt < ttlMs) return cached.value;
      if (ttlMs === 0) return loadClientRecord(options.stores, clientId);
      if (entries.size >= maxEntries) evictStale(now);
      const value = loadClientRecord(options.stores, clientId);
      const entry = { loadedAt: now, value };
      entries.set(clientId, entry);
      value.catch(() => {
        if (entries.get(clientId) === entry) entries.delete(clientId);
      });
      return value;
    },
    invalidate(clientId) {
      entries.delete(clientId);
    },
    clear() {
      entries.clear();
    },
  };
}
