/**
 * The IMS protocol route group (`/ims/*`): form-only body parsing with a size cap, the IMS error dialect, and the
 * token, validation and key-set routes. Registered through `buildApp`'s `routes` option.
 */
import type { ImsServices, PublishedKeys } from '@pims/core';
import type { FastifyInstance } from 'fastify';
import { registerFormParsers } from './form-params.js';
import { setImsErrorHandler } from './ims-errors.js';
import { registerKeysRoutes } from './keys-routes.js';
import { registerTokenRoutes } from './token-routes.js';
import { registerValidationRoutes } from './validation-routes.js';

export interface ImsRoutesDeps {
  services: ImsServices;
  /** The signing-key ring's public view (`/ims/keys`); omitted where another process publishes it. */
  keys?: PublishedKeys;
  /** Body cap of the token endpoints (config.maxBodyBytes); larger answers 413. */
  maxBodyBytes: number;
}

export function imsRoutes(deps: ImsRoutesDeps): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    if (deps.keys !== undefined) registerKeysRoutes(app, { keys: deps.keys });
    // Its own encapsulated context, so the form parsers and the IMS error dialect apply to these routes only.
    await app.register((ims, _options, done) => {
      registerFormParsers(ims, deps.maxBodyBytes);
      setImsErrorHandler(ims);
      registerTokenRoutes(ims, deps.services);
      registerValidationRoutes(ims, deps.services);
      done();
    });
  };
}
