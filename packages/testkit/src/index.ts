export {};
export { runStoreContract } from './store-contract.js';
export type { StoreContractOptions } from './store-contract.js';
export { runMigrationContract, TABLES } from './migration-contract.js';
export type { MigrationTarget } from './migration-contract.js';
export * as storeFixtures from './store-contract/fixtures.js';
export { REPO_ROOT, spawnPims } from './pims-process.js';
export type { PimsProcess } from './pims-process.js';
export { createFreshPostgresDatabase } from './postgres-database.js';
export type { FreshDatabase } from './postgres-database.js';
export {
  startImsHarness,
  type HarnessCredentials,
  type ImsHarness,
  type ImsHarnessOptions,
} from './ims-harness.js';
export * as gatewayFixtures from './gateway-fixtures.js';
export { refusedPort } from './refused-port.js';
