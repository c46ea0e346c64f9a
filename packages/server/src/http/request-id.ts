import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller-sent request id is echoed only when it is short and plain; anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  if (typeof sent === 'string' && SANE_REQUEST_ID.test(sent)) return sent;
  return randomUUID();
}
