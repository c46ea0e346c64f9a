/**
 * OpenAPI 3 documents generated from the schemas routes declare (STYLE §4). The same route registrations the server
 * uses are made on a Fastify instance of their own that never listens or serves a request; `@fastify/swagger` is
 * loaded only here, so the running server never loads it. Output has its keys sorted, so the files are stable.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';

export interface OpenApiDocumentSpec {
  title: string;
  description: string;
  server: { url: string; description: string };
  tags: Array<{ name: string; description: string }>;
  /** Registers the routes to describe on the generator's instance. */
  register(app: FastifyInstance): Promise<void> | void;
}

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** Route handlers never run while generating; anything touching a dependency is a bug of the generator. */
export function notUsed<T extends object>(what: string, known: Partial<T> = {}): T {
  return new Proxy(known as T, {
    get(target, property) {
      if (property in target) return (target as Record<string | symbol, unknown>)[property];
      throw new Error(`${what} are not used while generating the OpenAPI document`);
    },
  });
}

/** Objects with their keys sorted, recursively (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The document as an object, keys sorted. */
export async function buildOpenApiDocument(spec: OpenApiDocumentSpec): Promise<Record<string, unknown>> {
  const { default: swagger } = await import('@fastify/swagger');
  const app = Fastify({ logger: false });
  try {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: spec.title, version: packageVersion(), description: spec.description },
        servers: [spec.server],
        tags: spec.tags,
      },
    });
    await spec.register(app);
    await app.ready();
    return sortKeys(app.swagger()) as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** The file text of a document. */
export async function renderOpenApiDocument(spec: OpenApiDocumentSpec): Promise<string> {
  return `${JSON.stringify(await buildOpenApiDocument(spec), null, 2)}\n`;
}
