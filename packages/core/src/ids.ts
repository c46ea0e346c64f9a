/**
 * Identifier generators in IMS formats. Randomness comes from `node:crypto` unless a source is injected (tests).
 *
 * - org ids: 24 upper-case hex + `@AdobeOrg` (suffix configurable), e.g. `1A2B…9F@AdobeOrg`;
 * - technical account ids: 24 upper-case hex + `@techacct.adobe.com` (suffix configurable);
 * - technical account emails: a UUID + `@techacct.adobe.com`, as Adobe issues them;
 * - client ids (API keys): 32 lower-case hex;
 * - every other id (users, operators, projects, credentials, secrets, certificates, invitations, sessions…):
 *   a random UUID v4, lower-case — no prefix, so ids never reveal what they name.
 */
import { randomBytes } from 'node:crypto';

/** Returns `size` random bytes. */
export type RandomSource = (size: number) => Uint8Array;

export interface IdGeneratorOptions {
  random?: RandomSource;
  /** Default `@AdobeOrg`. */
  orgIdSuffix?: string;
  /** Default `@techacct.adobe.com`; also used for technical account emails. */
  technicalAccountSuffix?: string;
}

export interface IdGenerator {
  orgId(): string;
  technicalAccountId(): string;
  technicalAccountEmail(): string;
  clientId(): string;
  /** A random UUID v4 for every other record. */
  uuid(): string;
}

export const DEFAULT_ORG_ID_SUFFIX = '@AdobeOrg';
export const DEFAULT_TECHNICAL_ACCOUNT_SUFFIX = '@techacct.adobe.com';

const defaultRandom: RandomSource = (size) => randomBytes(size);

export function createIdGenerator(options: IdGeneratorOptions = {}): IdGenerator {
  const random = options.random ?? defaultRandom;
  const orgSuffix = options.orgIdSuffix ?? DEFAULT_ORG_ID_SUFFIX;
  const techSuffix = options.technicalAccountSuffix ?? DEFAULT_TECHNICAL_ACCOUNT_SUFFIX;

  const bytes = (size: number): Buffer => {
    const out = random(size);
    if (out.length !== size)
      throw new RangeError(`random source returned ${out.length} bytes, expected ${size}`);
    return Buffer.from(out);
  };
  const hex = (size: number) => bytes(size).toString('hex');
  const uuid = () => {
    const b = bytes(16);
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40; // version 4
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  return {
    orgId: () => `${hex(12).toUpperCase()}${orgSuffix}`,
    technicalAccountId: () => `${hex(12).toUpperCase()}${techSuffix}`,
    technicalAccountEmail: () => `${uuid()}${techSuffix}`,
    clientId: () => hex(16),
    uuid,
  };
}

/** Shapes, for validating ids that come from outside. */
export const ID_PATTERNS = {
  orgId: /^[0-9A-F]{24}@[A-Za-z0-9.-]+$/,
  technicalAccountId: /^[0-9A-F]{24}@[A-Za-z0-9.-]+$/,
  clientId: /^[0-9a-f]{32}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
} as const;
