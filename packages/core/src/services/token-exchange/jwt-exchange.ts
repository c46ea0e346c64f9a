/**
 * `POST /ims/exchange/jwt` (DESIGN §3.1): a signed client assertion for an access token. Each step below either
 * returns what the next needs or throws a catalogue error; the order is the security argument (claims are read only
 * after the signature is verified; single use is claimed after validation and before minting).
 */
import { createHash } from 'node:crypto';
import { pimsError } from '@pims/contracts';
import type { AccessTokenClaims, IssuedToken } from '../../tokens/token-types.js';
import { authenticateClient, boundScopes, unavailable } from '../clients/authenticate-client.js';
import type { ClientRecord } from '../clients/client-directory.js';
import {
  checkAssertionClaims,
  checkAssertionHeader,
  verifyAssertionSignature,
  type CheckedAssertion,
} from './assertion.js';
import {
  audited,
  checkRateLimits,
  type RequestContext,
  type TokenServiceDeps,
} from './token-service-deps.js';

export interface JwtExchangeInput {
  clientId: string;
  clientSecret: string;
  assertion: string;
}

export interface ExchangedToken {
  accessToken: string;
  claims: AccessTokenClaims;
  /** Remaining lifetime in milliseconds (the exchange's `expires_in`). */
  expiresInMs: number;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Scope of a token from the JWT route: every bound scope, less the metascopes the assertion did not ask for. */
function grantedScope(record: ClientRecord, asked: CheckedAssertion): string {
  const metascopes = new Set(record.credential.metascopes);
  return boundScopes(record)
    .filter((scope) => !metascopes.has(scope) || asked.metascopes.includes(scope))
    .join(',');
}

function result(issued: IssuedToken, now: number): ExchangedToken {
  return {
    accessToken: issued.accessToken,
    claims: issued.claims,
    expiresInMs: Math.max(0, issued.expiresAt - now),
  };
}

async function mint(deps: TokenServiceDeps, record: ClientRecord, scope: string): Promise<IssuedToken> {
  const { credential } = record;
  return deps.issuer.issue({
    clientId: credential.clientId,
    orgId: credential.orgId,
    technicalAccountId: credential.technicalAccountId,
    scopes: scope.split(','),
  });
}

/**
 * An earlier exchange of this very assertion: the same token again while it lives, never a second one. A token that
 * was revoked (itself, or its credential or org since it was made) does not live: the assertion is spent, and the
 * client signs a new one.
 */
async function reissueStored(
  deps: TokenServiceDeps,
  claims: AccessTokenClaims | null | undefined,
): Promise<IssuedToken> {
  if (claims === null || claims === undefined || claims.exp * 1000 <= deps.clock.now()) {
    throw pimsError('ims.token_replayed');
  }
  if (await deps.revocations.isRevoked(claims).catch(unavailable)) throw pimsError('ims.token_replayed');
  return deps.issuer.reissue(claims);
}

/** Single use (SECURITY EX-7), then mint. */
async function claimAndMint(
  deps: TokenServiceDeps,
  record: ClientRecord,
  input: JwtExchangeInput,
  checked: CheckedAssertion,
): Promise<IssuedToken> {
  const { clientId } = record.credential;
  const expiresAt = (checked.exp + deps.settings.clockSkewSeconds) * 1000;
  const scope = grantedScope(record, checked);

  if (checked.jti !== undefined) {
    const key = `j:${sha256(`${clientId}\n${checked.jti}`)}`;
    const first = await deps.replay.claim({ key, clientId, expiresAt, tokenClaims: null }).catch(unavailable);
    if (!first) throw pimsError('ims.token_replayed');
    return mint(deps, record, scope);
  }

  const key = `a:${sha256(input.assertion)}`;
  const earlier = await deps.replay.find(key).catch(unavailable);
  if (earlier !== undefined) return reissueStored(deps, earlier.tokenClaims);
  const issued = await mint(deps, record, scope);
  const first = await deps.replay
    .claim({ key, clientId, expiresAt, tokenClaims: issued.claims })
    .catch(unavailable);
  if (first) return issued;
  // A concurrent copy won the claim: answer with its token; this one was never sent anywhere.
  const winner = await deps.replay.find(key).catch(unavailable);
  return reissueStored(deps, winner?.tokenClaims);
}

export async function exchangeJwt(
  deps: TokenServiceDeps,
  input: JwtExchangeInput,
  context: RequestContext,
): Promise<ExchangedToken> {
  return audited(deps, 'jwt_bearer', input.clientId, context, async (scope) => {
    await checkRateLimits(deps, input.clientId, context.ip);
    const record = await authenticateClient(deps, input.clientId, input.clientSecret, (found) => {
      scope.orgId = found.credential.orgId;
    });
    if (!record.credential.jwtEnabled) throw pimsError('ims.unsupported_grant_type');
    checkAssertionHeader(input.assertion);
    const payload = await verifyAssertionSignature(input.assertion, record, deps.clock.now());
    const checked = checkAssertionClaims(payload, record, deps.settings, deps.clock.now());
    const issued = await claimAndMint(deps, record, input, checked);
    return result(issued, deps.clock.now());
  });
}
