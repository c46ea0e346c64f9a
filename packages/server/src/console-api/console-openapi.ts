/**
 * The OpenAPI 3 document of the console REST API (`docs/openapi/console.json`, written by `npm run docs:openapi`),
 * generated from the zod schemas the routes declare (STYLE §4).
 */
import type { ConsoleServices } from '@pims/core';
import {
  buildOpenApiDocument,
  notUsed,
  renderOpenApiDocument,
  type OpenApiDocumentSpec,
} from '../http/openapi.js';
import { consoleApiRoutes } from './console-api-routes.js';

const consoleDocument: OpenApiDocumentSpec = {
  title: 'Partner IMS — console API',
  description:
    'The REST API behind the Admin Console and the Developer Console (`/api/v1`). Session cookie plus an ' +
    '`X-Pims-CSRF` header on every state change; JSON bodies only; errors are `{"code","message","details"?}`. ' +
    'Generated from the route schemas by `npm run docs:openapi`; see docs/console-api.md for roles and examples.',
  server: {
    url: 'http://127.0.0.1:8180',
    description: 'The local sandbox (`npm start`); else PIMS_IMS_URL.',
  },
  tags: [],
  async register(app) {
    const settings = { consoleUrl: 'http://127.0.0.1:8180' };
    const services = notUsed<ConsoleServices>('console services', {
      deps: { settings } as unknown as ConsoleServices['deps'],
    });
    await app.register(consoleApiRoutes({ services }));
  },
};

/** The document as an object, keys sorted. */
export function buildConsoleOpenApiDocument(): Promise<Record<string, unknown>> {
  return buildOpenApiDocument(consoleDocument);
}

/** The text of `docs/openapi/console.json`. */
export function renderConsoleOpenApi(): Promise<string> {
  return renderOpenApiDocument(consoleDocument);
}
