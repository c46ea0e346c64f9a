/**
 * The process logger (pino). Secrets are redacted by field name wherever they appear up to three levels deep
 * (`client_secret`, `req.body.client_secret`, `req.headers.authorization`…), so a careless log line can't leak them.
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config-types.js';

/** Field names whose values are never logged. */
export const redactedFields = [
  'authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'clientSecret',
  'client_secrets',
  'jwt_token',
  'password',
  'access_token',
  'accessToken',
  'refresh_token',
  'private_key',
  'privateKey',
  'privateKeyPem',
] as const;

/** `field`, `*.field`, `*.*.field` (bracketed when the name is not an identifier, like `set-cookie`). */
function pathsFor(field: string): string[] {
  const identifier = /^[A-Za-z_$][\w$]*$/.test(field);
  const step = identifier ? `.${field}` : `["${field}"]`;
  return [identifier ? field : step, `*${step}`, `*.*${step}`];
}

export const redactPaths: readonly string[] = Object.freeze(redactedFields.flatMap(pathsFor));

export interface CreateLoggerOptions {
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
  /** `name` field of every line. */
  name?: string;
}

export function createLogger(
  config: Pick<Readonly<Config>, 'logLevel'>,
  options: CreateLoggerOptions = {},
): Logger {
  const settings = {
    level: config.logLevel,
    ...(options.name === undefined ? {} : { name: options.name }),
    redact: { paths: [...redactPaths], censor: '[Redacted]' },
    serializers: { err: stdSerializers.err },
  };
  // Without a destination pino writes to stdout synchronously, so nothing is lost when the process dies.
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}
