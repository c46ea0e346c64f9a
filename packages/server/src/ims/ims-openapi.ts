/**
 * The OpenAPI 3 document of the IMS protocol routes and health checks (`docs/openapi/ims.json`, written by
 * `npm run docs:openapi`), generated from the schemas the routes declare (STYLE §4).
 */
import type { ImsServices, PublishedKeys } from '@pims/core';
import { registerHealthRoutes } from '../health/health-routes.js';
import {
  buildOpenApiDocument,
  notUsed,
  renderOpenApiDocument,
  type OpenApiDocumentSpec,
} from '../http/openapi.js';
import { imsRoutes } from './ims-routes.js';

const imsDocument: OpenApiDocumentSpec = {
  title: 'Partner IMS — IMS protocol',
  description:
    'Token endpoints wire-compatible with Adobe IMS (DESIGN.md §3.1–3.3). Errors are ' +
    '`{"error","error_description"}` with `Cache-Control: no-store`. Generated from the route schemas by ' +
    '`npm run docs:openapi`; see docs/ims-api.md for the rules.',
  server: {
    url: 'http://127.0.0.1:8180',
    description: 'The local sandbox (`npm start`); else PIMS_IMS_URL.',
  },
  tags: [
    { name: 'tokens', description: 'JWT exchange and OAuth server-to-server.' },
    { name: 'validation', description: 'Token validation, revocation and the revocation feed.' },
    { name: 'keys', description: 'The signing keys that verify access tokens.' },
    { name: 'health', description: 'Liveness and readiness.' },
  ],
  async register(app) {
    registerHealthRoutes(app, { checkReady: () => Promise.resolve() });
    await app.register(
      imsRoutes({
        services: notUsed<ImsServices>('IMS services'),
        keys: notUsed<PublishedKeys>('signing keys'),
        maxBodyBytes: 64 * 1024,
      }),
    );
  },
};

/** The document as an object, keys sorted. */
export function buildImsOpenApiDocument(): Promise<Record<string, unknown>> {
  return buildOpenApiDocument(imsDocument);
}

/** The text of `docs/openapi/ims.json`. */
export function renderImsOpenApi(): Promise<string> {
  return renderOpenApiDocument(imsDocument);
}
