/**
 * Streams an authenticated request to an HTTP upstream with node:http (no buffering either way), keeps the upstream
 * status and headers minus hop-by-hop ones, never follows redirects (a 3xx goes back to the caller as it is), and
 * answers 504 when the upstream sends no response headers within the timeout, 502 when it can't be reached.
 */
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pimsError, type PimsError } from '@pims/contracts';

/** RFC 9110 §7.6.1 connection-specific headers, never forwarded in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies headers without hop-by-hop ones (and those the `Connection` header names). */
export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named =
    typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(/\s*,\s*/) : [];
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || named.includes(name)) continue;
    out[name] = headers[name];
  }
  return out;
}

export interface ForwardOptions {
  upstream: URL;
  timeoutMs: number;
  /** Forward the caller's `Authorization` header. */
  forwardAuthorization: boolean;
}

export type ForwardResult = { ok: true; response: IncomingMessage } | { ok: false; error: PimsError };

/**
 * Sends `incoming` (its method, raw path and body stream, with `headers` already carrying the identity) upstream.
 * Resolves when the upstream's response headers arrive; the body is left to stream.
 */
export function forwardRequest(
  incoming: IncomingMessage,
  headers: IncomingHttpHeaders,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const outgoing = withoutHopByHop(headers);
  delete outgoing.host;
  if (!options.forwardAuthorization) delete outgoing.authorization;
  const basePath = options.upstream.pathname.replace(/\/+$/, '');
  const send = options.upstream.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ForwardResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const upstreamRequest = send(
      options.upstream,
      { method: incoming.method ?? 'GET', path: `${basePath}${incoming.url ?? '/'}`, headers: outgoing },
      (response) => settle({ ok: true, response }),
    );
    const timer = setTimeout(() => {
      settle({ ok: false, error: pimsError('partner.upstream_timeout') });
      upstreamRequest.destroy();
    }, options.timeoutMs);
    upstreamRequest.on('error', (err) =>
      settle({ ok: false, error: pimsError('partner.bad_gateway', { cause: err }) }),
    );
    incoming.pipe(upstreamRequest);
  });
}
