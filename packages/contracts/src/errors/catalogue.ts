/**
 * The error catalogue: every error the platform can answer with, keyed by a stable code.
 *
 * Codes never change once released; descriptions are fixed text, never built from input, so an error body can't echo
 * a secret, a token or SQL. `dialect` says which wire format the code belongs to (`any` renders in every dialect);
 * `wire` is the code on the wire: the OAuth `error` of the IMS, the numeric `code` of the Partner API. The console
 * dialect puts the catalogue code itself on the wire.
 */

export type ErrorDialect = 'ims' | 'partner' | 'console' | 'any';

export interface ErrorEntry {
  readonly status: number;
  readonly dialect: ErrorDialect;
  readonly wire?: string;
  readonly description: string;
}

export const errorCatalogue = {
  // IMS token endpoints: {"error": wire, "error_description": description}
  'ims.bad_request': {
    status: 400,
    dialect: 'ims',
    wire: 'bad_request',
    description: 'The request is malformed or misses a required parameter.',
  },
  'ims.duplicate_parameter': {
    status: 400,
    dialect: 'ims',
    wire: 'bad_request',
    description: 'A parameter was given more than once.',
  },
  'ims.secret_in_query': {
    status: 400,
    dialect: 'ims',
    wire: 'bad_request',
    description: 'The client secret must be sent in the request body, never in the query string.',
  },
  'ims.unsupported_media_type': {
    status: 415,
    dialect: 'ims',
    wire: 'bad_request',
    description: 'The body must be application/x-www-form-urlencoded or multipart/form-data.',
  },
  'ims.payload_too_large': {
    status: 413,
    dialect: 'ims',
    wire: 'bad_request',
    description: 'The request body is too large.',
  },
  'ims.unsupported_grant_type': {
    status: 400,
    dialect: 'ims',
    wire: 'unsupported_grant_type',
    description: 'The grant type is not supported.',
  },
  'ims.invalid_client': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_client',
    description: 'The client is unknown.',
  },
  'ims.client_disabled': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_client',
    description: 'The client is disabled.',
  },
  'ims.audience_mismatch': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_client',
    description: 'The assertion audience does not name this client in this environment.',
  },
  'ims.invalid_client_secret': {
    status: 401,
    dialect: 'ims',
    wire: 'invalid_client',
    description: 'The client secret is invalid.',
  },
  'ims.token_missing': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion is missing.',
  },
  'ims.token_malformed': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion could not be decoded.',
  },
  'ims.token_expired': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion has expired.',
  },
  'ims.token_lifetime_too_long': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion expires too far in the future.',
  },
  'ims.token_claims_invalid': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion claims are missing, of the wrong type or do not match the client.',
  },
  'ims.token_replayed': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_token',
    description: 'The assertion has already been used.',
  },
  'ims.invalid_signature': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_signature',
    description: 'The assertion signature could not be verified with a certificate of this client.',
  },
  'ims.invalid_scope': {
    status: 400,
    dialect: 'ims',
    wire: 'invalid_scope',
    description: 'The requested scope is missing or not granted to this client.',
  },
  'ims.rate_limited': {
    status: 429,
    dialect: 'ims',
    wire: 'rate_limited',
    description: 'Too many requests. Retry later.',
  },
  'ims.server_error': {
    status: 503,
    dialect: 'ims',
    wire: 'server_error',
    description: 'The service is temporarily unavailable. Retry later.',
  },
  'ims.method_not_allowed': {
    status: 405,
    dialect: 'ims',
    wire: 'method_not_allowed',
    description: 'The method is not allowed on this endpoint.',
  },

  // Partner API gateway: {"code": wire, "message": description}
  'partner.api_key_invalid': {
    status: 403,
    dialect: 'partner',
    wire: '4115',
    description: 'API key is invalid or missing.',
  },
  'partner.token_invalid': {
    status: 401,
    dialect: 'partner',
    wire: '4116',
    description: 'Access token is invalid.',
  },
  'partner.token_missing': {
    status: 403,
    dialect: 'partner',
    wire: '4117',
    description: 'Access token is missing.',
  },
  'partner.rate_limited': {
    status: 429,
    dialect: 'partner',
    wire: '4118',
    description: 'Too many requests.',
  },
  'partner.forbidden': {
    status: 403,
    dialect: 'partner',
    wire: '4121',
    description: 'Not allowed to access this resource.',
  },
  'partner.not_found': {
    status: 404,
    dialect: 'partner',
    wire: '404',
    description: 'Resource not found.',
  },
  'partner.upstream_timeout': {
    status: 504,
    dialect: 'partner',
    wire: '504',
    description: 'The upstream service did not answer in time.',
  },
  'partner.bad_gateway': {
    status: 502,
    dialect: 'partner',
    wire: '502',
    description: 'The upstream service failed.',
  },
  'partner.headers_too_large': {
    status: 431,
    dialect: 'partner',
    wire: '431',
    description: 'Request headers are too large.',
  },

  // Console REST API: {"code": code, "message": description, "details"?: …}
  'console.validation_failed': {
    status: 400,
    dialect: 'console',
    description: 'The request is invalid.',
  },
  'console.unprocessable': {
    status: 422,
    dialect: 'console',
    description: 'The request can not be carried out in the current state.',
  },
  'console.unauthenticated': {
    status: 401,
    dialect: 'console',
    description: 'Sign in to continue.',
  },
  'console.forbidden': {
    status: 403,
    dialect: 'console',
    description: 'You are not allowed to do this.',
  },
  'console.csrf_failed': {
    status: 403,
    dialect: 'console',
    description: 'The request failed the cross-site request forgery check. Reload the page and try again.',
  },
  'console.not_found': {
    status: 404,
    dialect: 'console',
    description: 'Not found.',
  },
  'console.conflict': {
    status: 409,
    dialect: 'console',
    description: 'The request conflicts with the current state.',
  },
  'console.payload_too_large': {
    status: 413,
    dialect: 'console',
    description: 'The request body is too large.',
  },
  'console.uri_too_long': {
    status: 414,
    dialect: 'console',
    description: 'The request URL is too long.',
  },
  'console.unsupported_media_type': {
    status: 415,
    dialect: 'console',
    description: 'The request body must be application/json.',
  },
  'console.rate_limited': {
    status: 429,
    dialect: 'console',
    description: 'Too many requests. Retry later.',
  },

  // Any dialect: rendered in the format of whichever serializer is used.
  internal_error: {
    status: 500,
    dialect: 'any',
    description: 'Internal server error.',
  },
  storage_unavailable: {
    status: 503,
    dialect: 'any',
    description: 'The service is temporarily unavailable. Retry later.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Every code, in catalogue order. */
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCatalogue, value);
}

/** Codes of one dialect (`any` codes are not included). */
export type ErrorCodeOf<D extends ErrorDialect> = {
  [C in ErrorCode]: (typeof errorCatalogue)[C]['dialect'] extends D ? C : never;
}[ErrorCode];

export type ImsErrorCode = ErrorCodeOf<'ims'>;
export type PartnerErrorCode = ErrorCodeOf<'partner'>;
export type ConsoleErrorCode = ErrorCodeOf<'console'>;
