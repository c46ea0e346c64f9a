/** `@pims/core/testing`: helpers for the tests of packages built on core (not used by any server code). */
export {
  clientKeyPair,
  seedTestClient,
  type SeedClientDeps,
  type SeedOptions,
  type SeededClientRows,
} from './services/test-support/seed-client.js';
export { systemAuditEvent } from './services/test-support/audit-event.js';
