/**
 * The OpenAPI 3 document of the IMS protocol routes and health checks (`docs/openapi/ims.json`, written by
 * `npm run docs:openapi`), generated from the schemas the routes declare (STYLE §4). The same route registrations the
 * server uses are made on a Fastify instance of their own that never listens or serves a request; `@fastify/swagger`
 * is loaded only here, so the running server never loads it.
 */
import { readFileSync } from 'node:fs';
import type { ImsServices, PublishedKeys } from '@pims/core';
import Fastify from 'fastify';
import { registerHealthRoutes } from '../health/health-routes.js';
import { imsRoutes } from './ims-routes.js';

function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** Route handlers never run here; anything touching the services or keys is a bug of the generator. */
function notUsed<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get() {
      throw new Error(`${what} are not used while generating the OpenAPI document`);
    },
  });
}

/** Objects with their keys sorted, recursively (arrays keep their order), so the file is stable. */
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
export async function buildImsOpenApiDocument(): Promise<Record<string, unknown>> {
  const { default: swagger } = await import('@fastify/swagger');
  const app = Fastify({ logger: false });
  try {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Partner IMS — IMS protocol',
          version: packageVersion(),
          description:
            'Token endpoints wire-compatible with Adobe IMS (DESIGN.md §3.1–3.3). Errors are ' +
            '`{"error","error_description"}` with `Cache-Control: no-store`. Generated from the route schemas by ' +
            '`npm run docs:openapi`; see docs/ims-api.md for the rules.',
        },
        servers: [
          {
            url: 'http://127.0.0.1:8180',
            description: 'The local sandbox (`npm start`); else PIMS_IMS_URL.',
          },
        ],
        tags: [
          { name: 'tokens', description: 'JWT exchange and OAuth server-to-server.' },
          { name: 'validation', description: 'Token validation, revocation and the revocation feed.' },
          { name: 'keys', description: 'The signing keys that verify access tokens.' },
          { name: 'health', description: 'Liveness and readiness.' },
        ],
      },
    });
    registerHealthRoutes(app, { checkReady: () => Promise.resolve() });
    await app.register(
      imsRoutes({
        services: notUsed<ImsServices>('IMS services'),
        keys: notUsed<PublishedKeys>('signing keys'),
        maxBodyBytes: 64 * 1024,
      }),
    );
    await app.ready();
    return sortKeys(app.swagger()) as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** The text of `docs/openapi/ims.json`. */
export async function renderImsOpenApi(): Promise<string> {
  return `${JSON.stringify(await buildImsOpenApiDocument(), null, 2)}\n`;
}
