export {};
export { runStoreContract } from './store-contract.js';
export type { StoreContractOptions } from './store-contract.js';
export { runMigrationContract, TABLES } from './migration-contract.js';
export type { MigrationTarget } from './migration-contract.js';
export * as storeFixtures from './store-contract/fixtures.js';
