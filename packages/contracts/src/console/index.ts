export * from './audit.js';
export * from './developer.js';
export * from './fields.js';
export * from './json-schema.js';
export * from './operator.js';
export * from './people.js';
