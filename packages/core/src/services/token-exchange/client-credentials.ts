/**
 * `POST /ims/token/v3` and `/ims/token/v2` with `grant_type=client_credentials` (DESIGN §3.2): OAuth
 * server-to-server. Tokens are equivalent to the JWT route's for the same credential (same client id, technical
 * account, org and, when no scope is asked for, the same scope).
 */
import { pimsError } from '@pims/contracts';
import type { AccessTokenClaims } from '../../tokens/token-types.js';
import { authenticateClient, boundScopes } from '../clients/authenticate-client.js';
import type { ClientRecord } from '../clients/client-directory.js';
import {
  audited,
  checkRateLimits,
  type RequestContext,
  type TokenServiceDeps,
} from './token-service-deps.js';

export interface ClientCredentialsInput {
  clientId: string;
  clientSecret: string;
  /** Comma-separated; empty or absent asks for every bound scope. */
  scope?: string | undefined;
  /** `/ims/token/v2` only: must be the credential's org when given. */
  orgId?: string | undefined;
}

export interface ClientCredentialsToken {
  accessToken: string;
  claims: AccessTokenClaims;
  /** Remaining lifetime in whole seconds (the OAuth `expires_in`). */
  expiresInSeconds: number;
}

/** Step: asked scopes must be a subset of the binding (SECURITY EX-6). */
function resolveScopes(record: ClientRecord, asked: string | undefined): string[] {
  const bound = boundScopes(record);
  const wanted = [
    ...new Set(
      (asked ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
  if (wanted.length === 0) return bound;
  if (!wanted.every((scope) => bound.includes(scope))) throw pimsError('ims.invalid_scope');
  return bound.filter((scope) => wanted.includes(scope));
}

export async function clientCredentials(
  deps: TokenServiceDeps,
  input: ClientCredentialsInput,
  context: RequestContext,
): Promise<ClientCredentialsToken> {
  return audited(deps, 'client_credentials', input.clientId, context, async (scope) => {
    await checkRateLimits(deps, input.clientId, context.ip);
    const record = await authenticateClient(deps, input.clientId, input.clientSecret, (found) => {
      scope.orgId = found.credential.orgId;
    });
    const { credential } = record;
    if (!credential.oauthEnabled) throw pimsError('ims.unsupported_grant_type');
    if (input.orgId !== undefined && input.orgId !== credential.orgId) throw pimsError('ims.invalid_client');
    const scopes = resolveScopes(record, input.scope);
    const issued = await deps.issuer.issue({
      clientId: credential.clientId,
      orgId: credential.orgId,
      technicalAccountId: credential.technicalAccountId,
      scopes,
    });
    const remainingMs = Math.max(0, issued.expiresAt - deps.clock.now());
    return {
      accessToken: issued.accessToken,
      claims: issued.claims,
      expiresInSeconds: Math.floor(remainingMs / 1000),
    };
  });
}
