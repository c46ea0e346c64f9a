/**
 * JSON Schema (draft-07, what Fastify's validator and OpenAPI 3.0 tools read) from the zod schemas of this folder.
 * `io: 'input'` describes what a client sends; response schemas use `io: 'output'`.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The zod types route declarations need, so packages that declare routes don't import zod themselves. */
export type { ZodType as Schema, output as SchemaOutput } from 'zod';
