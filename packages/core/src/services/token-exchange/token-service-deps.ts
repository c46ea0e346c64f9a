/**
 * Dependencies and shared steps of the token endpoints (JWT exchange, client credentials): rate limiting before any
 * RSA work, and the audit event every request ends with.
 */
import { isPimsError, pimsError, type ErrorCode } from '@pims/contracts';
import type { AccessTokenClaims, TokenIssuer } from '../../tokens/token-types.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ClientAuthDeps } from '../clients/authenticate-client.js';
import type { Clock, ImsSettings } from '../ims-settings.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { ReplayStore } from '../replay/replay-store.js';
import type { RevocationIndex } from '../revocation/revocation-index.js';

export interface TokenServiceDeps extends ClientAuthDeps {
  settings: ImsSettings;
  clock: Clock;
  rateLimiter: RateLimiter;
  replay: ReplayStore;
  issuer: TokenIssuer;
  /** Consulted before an earlier token is handed out again (EX-7): a revoked one never is. */
  revocations: Pick<RevocationIndex, 'isRevoked'>;
  audit: AuditLog;
}

/** Who is asking, as the route knows it; used for rate limits and the audit trail. */
export interface RequestContext {
  ip: string;
  requestId: string;
}

export type Grant = 'jwt_bearer' | 'client_credentials';

/** Step: per source address and per client id, before any lookup or crypto (SECURITY EX-8). */
export async function checkRateLimits(
  deps: Pick<TokenServiceDeps, 'settings' | 'rateLimiter'>,
  clientId: string,
  ip: string,
): Promise<void> {
  const { perAddress, perClient } = deps.settings.rateLimits;
  const [byAddress, byClient] = await Promise.all([
    deps.rateLimiter.hit(`addr:${ip}`, perAddress),
    deps.rateLimiter.hit(`client:${clientId}`, perClient),
  ]).catch((err: unknown) => {
    throw pimsError('ims.server_error', { cause: err });
  });
  const denied = [byAddress, byClient].filter((decision) => !decision.allowed);
  if (denied.length > 0) {
    const retryAfterSeconds = Math.max(...denied.map((d) => (d.allowed ? 0 : d.retryAfterSeconds)));
    throw pimsError('ims.rate_limited', { retryAfterSeconds });
  }
}

/** Client ids are caller input: only a bounded, printable form reaches the audit trail. */
function auditableClientId(clientId: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(clientId) ? clientId : '(invalid)';
}

export interface AuditScope {
  /** Set once the client is known. */
  orgId: string | null;
}

/** Runs one token request and records its outcome (`token.issued` / `token.rejected` with the error code). */
export async function audited<T extends { claims: AccessTokenClaims }>(
  deps: Pick<TokenServiceDeps, 'audit'>,
  grant: Grant,
  clientId: string,
  context: RequestContext,
  run: (scope: AuditScope) => Promise<T>,
): Promise<T> {
  const scope: AuditScope = { orgId: null };
  const base = {
    actorType: 'client' as const,
    actorId: auditableClientId(clientId),
    ip: context.ip,
    requestId: context.requestId,
  };
  try {
    const result = await run(scope);
    // The token leaves only once its audit row is stored: with storage down, no token is handed out unrecorded.
    await deps.audit
      .write({
        ...base,
        orgId: result.claims.org,
        action: 'token.issued',
        targetType: 'access_token',
        targetId: result.claims.jti,
        outcome: 'success',
        details: { grant, scope: result.claims.scope, expiresAt: result.claims.exp * 1000 },
      })
      .catch((err: unknown) => {
        throw pimsError('ims.server_error', { cause: err });
      });
    return result;
  } catch (err) {
    const code: ErrorCode = isPimsError(err) ? err.code : 'internal_error';
    deps.audit.record({
      ...base,
      orgId: scope.orgId,
      action: 'token.rejected',
      targetType: null,
      targetId: null,
      outcome: 'failure',
      details: { grant, error: code },
    });
    throw err;
  }
}
