/**
 * `POST /ims/exchange/jwt` (+ `/ims/exchange/jwt/`, `/ims/exchange/v1/jwt`) and `POST /ims/token/v3|v2`
 * (DESIGN §3.1, §3.2). Routes parse and shape; the rules live in the core services.
 */
import { pimsError } from '@pims/contracts';
import type { ImsServices } from '@pims/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  FORM_MEDIA_TYPES,
  checkedByHandler,
  formParameters,
  mergeParams,
  optional,
  readForm,
  readQuery,
  required,
  type Params,
} from './form-params.js';
import { NO_STORE, imsErrorResponses } from './ims-errors.js';

export const JWT_EXCHANGE_PATHS = [
  '/ims/exchange/jwt',
  '/ims/exchange/jwt/',
  '/ims/exchange/v1/jwt',
] as const;
export const TOKEN_PATHS = ['/ims/token/v3', '/ims/token/v2'] as const;

const MAX_CLIENT_ID = 255;
const MAX_ASSERTION = 16 * 1024;

const jwtResponse = {
  type: 'object',
  properties: {
    token_type: { type: 'string' },
    access_token: { type: 'string' },
    expires_in: { type: 'integer' },
  },
  required: ['token_type', 'access_token', 'expires_in'],
} as const;

const oauthResponse = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
  },
  required: ['access_token', 'token_type', 'expires_in'],
} as const;

const errorResponses = imsErrorResponses([400, 401, 413, 415, 429, 503]);

const clientId = { maxLength: MAX_CLIENT_ID, description: "The credential's client id (API key)." };
const clientSecret = {
  maxLength: 512,
  description: 'One of its client secrets. Body only, never the query string.',
};

const exchangeSchema = {
  summary: 'Exchange a signed JWT assertion for an access token (expires_in in milliseconds).',
  tags: ['tokens'],
  consumes: FORM_MEDIA_TYPES,
  body: formParameters(
    {
      client_id: clientId,
      client_secret: clientSecret,
      jwt_token: {
        maxLength: MAX_ASSERTION,
        description: 'The RS256 assertion signed with a certificate key.',
      },
    },
    ['client_id', 'client_secret', 'jwt_token'],
  ),
  response: { 200: jwtResponse, ...errorResponses },
};

/** Parameters of the client-credentials grant that may come in the body or the query string. */
function grantParameters(url: (typeof TOKEN_PATHS)[number]) {
  return {
    grant_type: { maxLength: 64, enum: ['client_credentials'], description: 'Always `client_credentials`.' },
    client_id: clientId,
    scope: {
      maxLength: 2048,
      description: 'Comma-separated; empty asks for every scope bound to the credential.',
    },
    ...(url === '/ims/token/v2'
      ? { org_id: { maxLength: 255, description: "When given, must be the credential's org id." } }
      : {}),
  };
}

function tokenSchema(url: (typeof TOKEN_PATHS)[number]) {
  return {
    summary: 'OAuth server-to-server: client credentials for an access token (expires_in in seconds).',
    tags: ['tokens'],
    consumes: FORM_MEDIA_TYPES,
    body: formParameters({ ...grantParameters(url), client_secret: clientSecret }, ['client_secret']),
    querystring: formParameters(grantParameters(url)),
    response: { 200: oauthResponse, ...errorResponses },
  };
}

const context = (request: FastifyRequest) => ({ ip: request.ip, requestId: request.id });

/** Step: the exchange takes its parameters from the body only; a secret in the query is refused outright. */
async function exchangeParams(request: FastifyRequest): Promise<Params> {
  const query = readQuery(request);
  if (query.has('client_secret')) throw pimsError('ims.secret_in_query');
  const body = await readForm(request);
  if (!body.has('jwt_token') || body.get('jwt_token') === '') {
    required(body, 'client_id', MAX_CLIENT_ID);
    throw pimsError('ims.token_missing');
  }
  return body;
}

/** Step: body or query, except the secret (body only). */
async function tokenParams(request: FastifyRequest): Promise<Params> {
  const query = readQuery(request);
  if (query.has('client_secret')) throw pimsError('ims.secret_in_query');
  return mergeParams(await readForm(request), query);
}

export function registerTokenRoutes(app: FastifyInstance, services: ImsServices): void {
  for (const url of JWT_EXCHANGE_PATHS) {
    app.post(url, { schema: exchangeSchema, ...checkedByHandler }, async (request, reply) => {
      const params = await exchangeParams(request);
      const result = await services.exchangeJwt(
        {
          clientId: required(params, 'client_id', MAX_CLIENT_ID),
          clientSecret: required(params, 'client_secret'),
          assertion: required(params, 'jwt_token', MAX_ASSERTION),
        },
        context(request),
      );
      return reply
        .headers(NO_STORE)
        .send({ token_type: 'bearer', access_token: result.accessToken, expires_in: result.expiresInMs });
    });
  }

  for (const url of TOKEN_PATHS) {
    app.post(url, { schema: tokenSchema(url), ...checkedByHandler }, async (request, reply) => {
      const params = await tokenParams(request);
      const grantType = required(params, 'grant_type', 64);
      if (grantType !== 'client_credentials') throw pimsError('ims.unsupported_grant_type');
      const result = await services.clientCredentials(
        {
          clientId: required(params, 'client_id', MAX_CLIENT_ID),
          clientSecret: required(params, 'client_secret'),
          scope: optional(params, 'scope', 2048),
          orgId: url === '/ims/token/v2' ? optional(params, 'org_id', 255) : undefined,
        },
        context(request),
      );
      return reply.headers(NO_STORE).send({
        access_token: result.accessToken,
        token_type: 'bearer',
        expires_in: result.expiresInSeconds,
      });
    });
  }

  for (const url of [...JWT_EXCHANGE_PATHS, ...TOKEN_PATHS]) {
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url,
      schema: { hide: true },
      handler: () => {
        throw pimsError('ims.method_not_allowed');
      },
    });
  }
}
