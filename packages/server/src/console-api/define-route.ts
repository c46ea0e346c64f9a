/**
 * How console routes are declared: zod schemas from `@pims/contracts` for params, query, body and responses. The JSON
 * Schema generated from them is what the route declares (for the OpenAPI document); validation itself runs the zod
 * schema (exact messages, unknown fields refused), through the validator compiler of the console context.
 */
import { toJsonSchema, type JsonSchema, type Schema, type SchemaOutput } from '@pims/contracts';
import type { ConsoleContext } from '@pims/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
  HTTPMethods,
} from 'fastify';
import { contextOf } from './request-auth.js';

const zodOf = new WeakMap<object, Schema>();

function declare(schema: Schema, io: 'input' | 'output'): JsonSchema {
  const json = toJsonSchema(schema, io);
  zodOf.set(json, schema);
  return json;
}

interface Issue {
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/** Validates with the zod schema behind a declared JSON schema; issues become Fastify validation errors. */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const zod = zodOf.get(schema as object);
  if (zod === undefined) throw new Error('console routes declare their schemas with defineRoute');
  const validate = (data: unknown) => {
    const result = zod.safeParse(data ?? {});
    if (result.success) return { value: result.data };
    const errors: Issue[] = result.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => ({
          instancePath: `/${[...path, key].join('/')}`,
          message: 'is not allowed',
          params: {},
        }));
      return [{ instancePath: path.length ? `/${path.join('/')}` : '', message: issue.message, params: {} }];
    });
    (validate as unknown as { errors: Issue[] }).errors = errors;
    return false;
  };
  return validate;
};

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  ctx: ConsoleContext;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema> {
  method: HTTPMethods;
  url: string;
  summary: string;
  /** `none`: no session needed (login, accepting an invitation). */
  auth?: 'session' | 'none';
  params?: P;
  query?: Q;
  body?: B;
  response: Record<number, Schema | null>;
  handler(input: RouteInput<SchemaOutput<P>, SchemaOutput<Q>, SchemaOutput<B>>): Promise<unknown>;
}

export const AUTH_NONE = Symbol('auth-none');

export function defineRoute<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B>,
): void {
  const response: Record<number, JsonSchema> = {};
  for (const [status, schema] of Object.entries(spec.response))
    response[Number(status)] = schema === null ? { type: 'null' } : declare(schema, 'output');
  app.route({
    method: spec.method,
    url: spec.url,
    config: { auth: spec.auth ?? 'session' },
    schema: {
      summary: spec.summary,
      ...(spec.params ? { params: declare(spec.params, 'input') } : {}),
      ...(spec.query ? { querystring: declare(spec.query, 'input') } : {}),
      ...(spec.body ? { body: declare(spec.body, 'input') } : {}),
      response,
    },
    handler: async (request, reply) => {
      const result = await spec.handler({
        params: request.params as SchemaOutput<P>,
        query: request.query as SchemaOutput<Q>,
        body: request.body as SchemaOutput<B>,
        ctx: contextOf(request),
        request,
        reply,
      });
      if (result === undefined) return reply.code(204).send();
      return result;
    },
  });
}
