export * from './errors/index.js';
export * from './scopes.js';
