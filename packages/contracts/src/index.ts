export * from './errors/index.js';
export * from './scopes.js';
export * from './console/index.js';
