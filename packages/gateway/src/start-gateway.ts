/**
 * The gateway as a server of its own (`pims serve gateway`, `pims start`): a Fastify instance with the
 * `partnerGateway` plugin, Partner API rendering of 404s and errors, and a client-error handler that answers oversized
 * headers (beyond Node's own limit) with the Partner API 431 too.
 */
import { pimsError, toPartnerApiError } from '@pims/contracts';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import type { PartnerGatewayOptions } from './gateway-options.js';
import { genPartnerRequestId, requestIdOf } from './http/request-id.js';
import { sendPartnerError } from './http/send-partner-error.js';
import { partnerGateway } from './partner-gateway.js';
import { sampleUpstream } from './sample-upstream/sample-upstream.js';

export interface StartGatewayOptions extends Omit<PartnerGatewayOptions, 'upstream'> {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default: the built-in sample upstream, in process. */
  upstream?: PartnerGatewayOptions['upstream'];
  /** A pino logger for the server's request logs; none by default. */
  fastifyLogger?: FastifyBaseLogger;
}

export interface RunningGateway {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8181`. */
  url: string;
  /** Stops accepting connections, drains in-flight requests, stops polling the IMS. */
  close(): Promise<void>;
}

function rawErrorResponse(status: number, body: object, headers: Record<string, string>): string {
  const text = JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
  );
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}

function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = requestIdOf(undefined);
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const rendered = toPartnerApiError(pimsError('partner.headers_too_large'), { requestId });
    socket.end(rawErrorResponse(431, rendered.body, rendered.headers));
    return;
  }
  socket.end(rawErrorResponse(400, { code: '400', message: 'Bad request.' }, { 'X-Request-Id': requestId }));
}

/**
 * Starts the gateway on `host:port`.
 *
 * @example
 * const gateway = await startGateway({ imsUrl: 'http://127.0.0.1:8180', dataDir: '.pims', port: 8181 });
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const app = Fastify({
    ...(options.fastifyLogger === undefined ? { logger: false } : { loggerInstance: options.fastifyLogger }),
    return503OnClosing: true,
    clientErrorHandler,
    genReqId: genPartnerRequestId,
  });
  app.setNotFoundHandler((request, reply) =>
    sendPartnerError(reply, pimsError('partner.not_found'), request.partnerRequestId),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = request.partnerRequestId || requestIdOf(undefined);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .header('x-request-id', requestId)
        .send({ code: String(status), message: 'Bad request.' });
    }
    request.log.error({ err: error }, 'gateway: request failed');
    return sendPartnerError(reply, error, requestId);
  });
  try {
    await app.register(partnerGateway, { ...options, upstream: options.upstream ?? sampleUpstream() });
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    return { app, url: address, close: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}
