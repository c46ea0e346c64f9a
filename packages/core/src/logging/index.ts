export { createLogger, redactPaths, redactedFields, type CreateLoggerOptions } from './create-logger.js';
