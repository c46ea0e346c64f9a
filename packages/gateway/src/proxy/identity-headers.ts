/**
 * GW-3: the caller's identity travels upstream in headers only the gateway sets. Every incoming `X-Pims-*` header is
 * removed first, so nothing the caller sends can pose as identity.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { VerifiedToken } from '../auth/verified-token.js';

export const ORG_HEADER = 'x-pims-org-id';
export const CLIENT_HEADER = 'x-pims-client-id';
export const TECHNICAL_ACCOUNT_HEADER = 'x-pims-technical-account-id';
export const REQUEST_ID_HEADER = 'x-request-id';

/** Removes every `x-pims-*` header (in place). */
export function stripIdentityHeaders(headers: IncomingHttpHeaders): void {
  for (const name in headers) if (name.startsWith('x-pims-')) delete headers[name];
}

/** Strips forged identity headers, then sets the verified caller's identity and the request id (in place). */
export function setIdentityHeaders(
  headers: IncomingHttpHeaders,
  token: VerifiedToken,
  requestId: string,
): void {
  stripIdentityHeaders(headers);
  headers[ORG_HEADER] = token.orgId;
  headers[CLIENT_HEADER] = token.clientId;
  headers[TECHNICAL_ACCOUNT_HEADER] = token.technicalAccountId;
  headers[REQUEST_ID_HEADER] = requestId;
}
