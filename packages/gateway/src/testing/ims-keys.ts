/**
 * Test keys and access tokens shaped like the IMS's (DESIGN §3.3), minted with jose, plus hand-made forgeries
 * (`alg: none`, HS256 keyed with the public key) that jose would refuse to make.
 */
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface TestSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as the IMS publishes it. */
  jwk: Record<string, unknown>;
}

/** A fresh RSA 2048 signing key. */
export function createTestSigningKey(kid: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, publicKey, jwk: { ...exported, kid, alg: 'RS256', use: 'sig' } };
}

export interface TestTokenInput {
  issuer: string;
  clientId: string;
  orgId: string;
  technicalAccountId?: string;
  scope?: string;
  /** Seconds since the epoch. */
  iat: number;
  lifetimeSeconds?: number;
  jti?: string;
  /** Replaces or adds claims. */
  claims?: Record<string, unknown>;
  /** Replaces or adds protected header parameters. */
  header?: Record<string, unknown>;
}

let counter = 0;

/** The claims of an IMS access token. */
export function accessTokenClaims(input: TestTokenInput): Record<string, unknown> {
  const lifetime = input.lifetimeSeconds ?? 86_400;
  const jti = input.jti ?? `tok-${process.pid}-${++counter}`;
  const technicalAccountId = input.technicalAccountId ?? `${input.clientId}-ta@techacct.example.com`;
  return {
    id: jti,
    type: 'access_token',
    client_id: input.clientId,
    user_id: technicalAccountId,
    as: 'ims-test',
    aa_id: technicalAccountId,
    org: input.orgId,
    scope: input.scope ?? 'openid,ent_partners_sdk',
    created_at: String(input.iat * 1000),
    expires_in: String(lifetime * 1000),
    iat: input.iat,
    exp: input.iat + lifetime,
    iss: input.issuer,
    sub: technicalAccountId,
    jti,
    ...input.claims,
  };
}

/** An access token signed RS256 by `key`, header `{alg, kid, x5u, itt}` as the IMS writes it. */
export async function mintAccessToken(key: TestSigningKey, input: TestTokenInput): Promise<string> {
  return new SignJWT(accessTokenClaims(input))
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, x5u: `${key.kid}.cer`, itt: 'at', ...input.header })
    .sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`). */
export function unsignedToken(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`;
}

/** HS256 with the given secret (the classic attack: the RSA public key as HMAC secret). */
export function hs256Token(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const input = `${b64({ ...header, alg: 'HS256' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
