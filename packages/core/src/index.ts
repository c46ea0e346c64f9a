export {};
export * from './config/index.js';
export * from './storage/index.js';
export * from './stores/index.js';
export * from './ids.js';
export * from './crypto/index.js';
export * from './logging/index.js';
export * from './services/index.js';
