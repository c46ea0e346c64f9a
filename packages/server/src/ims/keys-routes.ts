/**
 * The IMS key set (DESIGN.md §3.3): `GET /ims/keys` (JWKS of the active, next and not yet removable retired keys) and
 * `GET /ims/keys/{kid}.cer` (the key's self-signed certificate, the token header's `x5u`).
 */
import { pimsError, toConsoleError } from '@pims/contracts';
import type { PublishedKeys } from '@pims/core';
import type { FastifyInstance } from 'fastify';

export interface KeysRoutesDeps {
  keys: PublishedKeys;
}

/** Gateways and caches may keep the key set this long; a staged key waits at least as long before it signs. */
export const KEYS_CACHE_CONTROL = 'public, max-age=300';

const jwkSchema = {
  type: 'object',
  properties: {
    kid: { type: 'string' },
    kty: { type: 'string' },
    n: { type: 'string' },
    e: { type: 'string' },
    alg: { type: 'string' },
    use: { type: 'string' },
  },
  required: ['kid', 'kty', 'n', 'e', 'alg', 'use'],
  additionalProperties: false,
} as const;

const jwksSchema = {
  type: 'object',
  properties: { keys: { type: 'array', items: jwkSchema } },
  required: ['keys'],
  additionalProperties: false,
} as const;

const notFoundSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
  additionalProperties: false,
} as const;

const keysSchema = {
  summary: 'The JWKS of the IMS signing keys: active, next and retired keys whose tokens may still live.',
  tags: ['keys'],
  response: { 200: jwksSchema },
};

const certificateSchema = {
  summary: "A signing key's certificate (PEM), named by the token header's `x5u` (`{kid}.cer`).",
  tags: ['keys'],
  produces: ['application/x-pem-file'],
  params: {
    type: 'object',
    properties: { file: { type: 'string', maxLength: 100, description: '`{kid}.cer`' } },
    required: ['file'],
  },
  response: { 200: { type: 'string' }, 404: notFoundSchema },
};

const certificateFile = /^(.+)\.cer$/;

/** Registers the key-set routes. Unknown keys answer the same 404 as an unknown path. */
export function registerKeysRoutes(app: FastifyInstance, deps: KeysRoutesDeps): void {
  app.get('/ims/keys', { schema: keysSchema }, async (_request, reply) => {
    void reply.header('cache-control', KEYS_CACHE_CONTROL);
    return deps.keys.jwks();
  });

  app.get<{ Params: { file: string } }>(
    '/ims/keys/:file',
    {
      schema: certificateSchema,
    },
    async (request, reply) => {
      const kid = certificateFile.exec(request.params.file)?.[1];
      const pem = kid === undefined ? undefined : deps.keys.certificatePem(kid);
      if (pem === undefined) {
        const rendered = toConsoleError(pimsError('console.not_found'));
        return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
      }
      return reply.header('cache-control', KEYS_CACHE_CONTROL).type('application/x-pem-file').send(pem);
    },
  );
}
