import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/** A caller-sent request id is echoed only when it is short and plain; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id of a request: the caller's `X-Request-Id` when sane, else a new UUID. */
export function requestIdOf(sent: string | string[] | undefined): string {
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Where `genPartnerRequestId` leaves the id it chose on the raw request. */
const REQUEST_ID = Symbol('pims.partnerRequestId');
type WithRequestId = IncomingMessage & { [REQUEST_ID]?: string };

/**
 * Fastify's `genReqId` for an instance serving the gateway: the id is chosen once per request, so the request's log
 * lines (`reqId`) and its `X-Request-Id` response header carry the same id.
 */
export function genPartnerRequestId(raw: IncomingMessage): string {
  const id = requestIdOf(raw.headers['x-request-id']);
  (raw as WithRequestId)[REQUEST_ID] = id;
  return id;
}

/** The id `genPartnerRequestId` chose for this request, or one chosen now (an instance with its own `genReqId`). */
export function partnerRequestIdOf(raw: IncomingMessage): string {
  return (raw as WithRequestId)[REQUEST_ID] ?? requestIdOf(raw.headers['x-request-id']);
}
