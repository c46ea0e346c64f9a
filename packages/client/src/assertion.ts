import { randomBytes, type KeyObject } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { parsePrivateKey } from './credentials/private-key.js';
import { audienceFor, metascopeClaim, PARTNER_METASCOPE } from './environments.js';

/**
 * Default assertion lifetime: 5 minutes.
 *
 * @example
 * ```ts
 * createPartnerClient({ environment, credentials, assertionLifetimeSeconds: DEFAULT_ASSERTION_LIFETIME_SECONDS * 2 });
 * ```
 */
export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * What an assertion is made of.
 *
 * @example
 * ```ts
 * const options: AssertionOptions = {
 *   imsUrl: 'https://ims-na1.adobelogin.com', clientId, orgId, technicalAccountId, privateKey,
 * };
 * ```
 */
export interface AssertionOptions {
  imsUrl: string;
  clientId: string;
  orgId: string;
  technicalAccountId: string;
  /** A parsed key (parsed once, fastest) or a PEM string (parsed on every call). */
  privateKey: KeyObject | string;
  passphrase?: string | undefined;
  /** Defaults to `["ent_partners_sdk"]`. */
  metaScopes?: readonly string[] | undefined;
  /** Seconds until `exp`; default 300. */
  lifetimeSeconds?: number | undefined;
  /** Milliseconds since the epoch; default `Date.now()`. */
  now?: number | undefined;
  /** Overrides the random `jti` (tests only). */
  jti?: string | undefined;
}

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

const signingKeys = new WeakMap<KeyObject, Promise<SigningKey>>();

/** The WebCrypto form of a parsed key, made once per key. */
function signingKeyFor(key: KeyObject): Promise<SigningKey> {
  let signingKey = signingKeys.get(key);
  if (!signingKey) {
    signingKey = importPKCS8(key.export({ format: 'pem', type: 'pkcs8' }).toString(), 'RS256');
    signingKeys.set(key, signingKey);
  }
  return signingKey;
}

/**
 * The claims of an assertion: `exp`, `iss` (org), `sub` (technical account), `aud` (`{ims}/c/{client_id}`),
 * one `"{ims}/s/{metascope}": true` per metascope, `iat` and a random `jti`.
 *
 * @example
 * ```ts
 * assertionClaims({ imsUrl, clientId: 'abc', orgId, technicalAccountId, privateKey, now: 0 }).exp; // 300
 * ```
 */
export function assertionClaims(options: Omit<AssertionOptions, 'privateKey'>): Record<string, unknown> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = {
    exp: iat + (options.lifetimeSeconds ?? DEFAULT_ASSERTION_LIFETIME_SECONDS),
    iss: options.orgId,
    sub: options.technicalAccountId,
    aud: audienceFor(options.imsUrl, options.clientId),
  };
  for (const metascope of options.metaScopes ?? [PARTNER_METASCOPE]) {
    claims[metascopeClaim(options.imsUrl, metascope)] = true;
  }
  claims.iat = iat;
  claims.jti = options.jti ?? randomBytes(16).toString('base64url');
  return claims;
}

/**
 * Signs a JWT client assertion (header `{"alg":"RS256"}`) for the JWT exchange.
 *
 * @example
 * ```ts
 * const key = parsePrivateKey(readFileSync('private.key', 'utf8'), { source: 'private.key' });
 * const jwt = await createAssertion({
 *   imsUrl: 'https://ims-na1.adobelogin.com', clientId: 'abc', orgId: '12AB@AdobeOrg',
 *   technicalAccountId: '34CD@techacct.adobe.com', privateKey: key,
 * });
 * ```
 */
export async function createAssertion(options: AssertionOptions): Promise<string> {
  const key =
    typeof options.privateKey === 'string'
      ? parsePrivateKey(options.privateKey, {
          source: 'createAssertion options',
          passphrase: options.passphrase,
        })
      : options.privateKey;
  return new SignJWT(assertionClaims(options))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(await signingKeyFor(key));
}
