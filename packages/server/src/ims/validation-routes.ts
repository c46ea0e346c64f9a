/**
 * `POST|GET /ims/validate_token/v1`, `POST /ims/invalidate_token/v2` and the revocation feed
 * `GET /ims/revocations?since=<seq>` for gateways (DESIGN §3.3).
 */
import { pimsError } from '@pims/contracts';
import type { ImsServices } from '@pims/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  FORM_MEDIA_TYPES,
  checkedByHandler,
  formParameters,
  mergeParams,
  optional,
  readForm,
  readQuery,
  required,
} from './form-params.js';
import { NO_STORE, imsErrorResponses } from './ims-errors.js';

const MAX_TOKEN = 16 * 1024;
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

const validateResponse = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    reason: { type: 'string' },
    expires_at: { type: 'integer' },
    token: { type: 'object', additionalProperties: true },
  },
  required: ['valid'],
} as const;

const revocationSchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    kind: { type: 'string' },
    subject: { type: 'string' },
    expires_at: { type: 'integer' },
    created_at: { type: 'integer' },
  },
  required: ['seq', 'kind', 'subject', 'expires_at', 'created_at'],
} as const;

const invalidateResponse = {
  type: 'object',
  properties: { revoked: { type: 'boolean' }, revocation: revocationSchema },
  required: ['revoked'],
} as const;

const feedResponse = {
  type: 'object',
  properties: { revocations: { type: 'array', items: revocationSchema }, cursor: { type: 'integer' } },
  required: ['revocations', 'cursor'],
} as const;

const tokenParameter = {
  maxLength: MAX_TOKEN,
  description: 'The access token, unless it comes as `Authorization: Bearer`.',
};
const bearerHeader = {
  type: 'object',
  properties: {
    authorization: {
      type: 'string',
      description: '`Bearer <access token>`, instead of the `token` parameter.',
    },
  },
} as const;
const validateParameters = formParameters({
  token: tokenParameter,
  type: { maxLength: 64, description: 'Token type; `access_token` when given.' },
  client_id: { maxLength: 255, description: 'When given, must be the client id the token was issued to.' },
});

function validateSchema(withBody: boolean) {
  return {
    summary: 'Check an access token: its claims and expiry, or the reason it is not valid.',
    tags: ['validation'],
    querystring: validateParameters,
    ...(withBody ? { consumes: FORM_MEDIA_TYPES, body: validateParameters } : {}),
    headers: bearerHeader,
    response: { 200: validateResponse, ...imsErrorResponses(withBody ? [400, 413, 415, 503] : [400, 503]) },
  };
}

const invalidateSchema = {
  summary: "Revoke an access token, or with `cascading` every token of the client's credential.",
  tags: ['validation'],
  consumes: FORM_MEDIA_TYPES,
  body: formParameters(
    {
      client_id: { maxLength: 255, description: 'The client id the token was issued to.' },
      client_secret: { maxLength: 512, description: 'One of its client secrets. Body only.' },
      token: tokenParameter,
      cascading: {
        maxLength: 16,
        description: '`all`, `true` or `all_for_client`: revoke every token of the client.',
      },
    },
    ['client_id', 'client_secret'],
  ),
  headers: bearerHeader,
  response: { 200: invalidateResponse, ...imsErrorResponses([400, 401, 413, 415, 503]) },
};

/** Step: the token from `token` or `Authorization: Bearer`, not both. */
function tokenFrom(request: FastifyRequest, params: ReadonlyMap<string, string>): string {
  const header = request.headers.authorization;
  const fromParams = optional(params, 'token', MAX_TOKEN);
  if (header !== undefined) {
    const match = BEARER.exec(header);
    if (!match?.[1] || fromParams !== undefined || match[1].length > MAX_TOKEN)
      throw pimsError('ims.bad_request');
    return match[1];
  }
  if (fromParams === undefined) throw pimsError('ims.bad_request');
  return fromParams;
}

function toFeedItem(revocation: {
  seq: number;
  kind: string;
  subject: string;
  expiresAt: number;
  createdAt: number;
}) {
  return {
    seq: revocation.seq,
    kind: revocation.kind,
    subject: revocation.subject,
    expires_at: revocation.expiresAt,
    created_at: revocation.createdAt,
  };
}

export function registerValidationRoutes(app: FastifyInstance, services: ImsServices): void {
  const validate = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = readQuery(request);
    if (query.has('client_secret')) throw pimsError('ims.secret_in_query');
    const params = mergeParams(request.method === 'POST' ? await readForm(request) : new Map(), query);
    const result = await services.validateToken({
      token: tokenFrom(request, params),
      type: optional(params, 'type', 64),
      clientId: optional(params, 'client_id', 255),
    });
    void reply.headers(NO_STORE);
    return result.valid
      ? { valid: true, expires_at: result.expiresAt, token: result.claims }
      : { valid: false, reason: result.reason };
  };
  // One handler; GET declares no body (Fastify refuses a body schema on GET).
  app.get('/ims/validate_token/v1', { schema: validateSchema(false), ...checkedByHandler }, validate);
  app.post('/ims/validate_token/v1', { schema: validateSchema(true), ...checkedByHandler }, validate);

  app.post(
    '/ims/invalidate_token/v2',
    { schema: invalidateSchema, ...checkedByHandler },
    async (request, reply) => {
      const query = readQuery(request);
      if (query.has('client_secret')) throw pimsError('ims.secret_in_query');
      const params = mergeParams(await readForm(request), query);
      const cascading = optional(params, 'cascading', 16);
      const revocation = await services.invalidateToken(
        {
          clientId: required(params, 'client_id', 255),
          clientSecret: required(params, 'client_secret'),
          token: cascading ? undefined : tokenFrom(request, params),
          cascading: cascading !== undefined && ['all', 'true', 'all_for_client'].includes(cascading),
        },
        { ip: request.ip, requestId: request.id },
      );
      void reply.headers(NO_STORE);
      return revocation === undefined
        ? { revoked: false }
        : { revoked: true, revocation: toFeedItem(revocation) };
    },
  );

  app.get(
    '/ims/revocations',
    {
      schema: {
        summary: 'The revocation feed for gateways: revocations after `since`, oldest first.',
        tags: ['validation'],
        querystring: {
          type: 'object',
          properties: {
            since: { type: 'integer', minimum: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
          additionalProperties: false,
        },
        response: { 200: feedResponse, ...imsErrorResponses([400, 503]) },
      },
    },
    async (request, reply) => {
      const query = request.query as { since?: number; limit?: number };
      const feed = await services.revocationFeed(query.since ?? 0, query.limit);
      void reply.headers({ 'cache-control': 'no-store' });
      return feed;
    },
  );
}
