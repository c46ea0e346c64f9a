/**
 * The store contract: one suite every `Storage` implementation must pass (SQLite always, PostgreSQL when configured).
 * Tests share one storage per run and never depend on each other: every record has fresh ids.
 */
import { after, before, describe } from 'node:test';
import type { Storage } from '@pims/core';
import { concurrencyContract } from './store-contract/concurrency.js';
import { credentialContract } from './store-contract/credentials.js';
import { identityContract } from './store-contract/identity.js';
import { isolationContract } from './store-contract/isolation.js';
import { pruningContract } from './store-contract/pruning.js';
import { tokenContract } from './store-contract/tokens.js';

export interface StoreContractOptions {
  /** Called after the storage is closed (e.g. to drop a PostgreSQL schema or remove a temp dir). */
  cleanup?: () => Promise<void> | void;
}

export function runStoreContract(
  name: string,
  makeStorage: () => Promise<Storage>,
  options: StoreContractOptions = {},
): void {
  void describe(`store contract: ${name}`, () => {
    let storage: Storage | undefined;
    const current = (): Storage => {
      if (!storage) throw new Error('storage was not opened');
      return storage;
    };
    before(async () => {
      storage = await makeStorage();
    });
    after(async () => {
      await storage?.close();
      await options.cleanup?.();
    });

    void describe('identity', () => identityContract(current));
    void describe('credentials', () => credentialContract(current));
    void describe('tokens', () => tokenContract(current));
    void describe('pruning', () => pruningContract(current));
    void describe('org isolation', () => isolationContract(current));
    void describe('concurrency and transactions', () => concurrencyContract(current));
  });
}
