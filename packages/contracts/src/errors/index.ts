export {
  errorCatalogue,
  errorCodes,
  isErrorCode,
  type ConsoleErrorCode,
  type ErrorCode,
  type ErrorCodeOf,
  type ErrorDialect,
  type ErrorEntry,
  type ImsErrorCode,
  type PartnerErrorCode,
} from './catalogue.js';
export { PimsError, isPimsError, pimsError, type PimsErrorOptions } from './pims-error.js';
export {
  DEFAULT_RETRY_AFTER_SECONDS,
  toConsoleError,
  toImsError,
  toPartnerApiError,
  type ConsoleErrorBody,
  type ImsErrorBody,
  type PartnerApiErrorBody,
  type PartnerApiErrorOptions,
  type SerializedError,
} from './serializers.js';
export { renderErrorDocs } from './error-docs.js';
