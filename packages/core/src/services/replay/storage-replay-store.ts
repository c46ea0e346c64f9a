/** The default replay store: the `used_assertions` table (atomic insert; shared by instances on one PostgreSQL). */
import type { UsedAssertionStore } from '../../stores/stores.js';
import type { AccessTokenClaims } from '../../tokens/token-types.js';
import type { Clock } from '../ims-settings.js';
import type { ReplayStore } from './replay-store.js';

export function createStorageReplayStore(store: UsedAssertionStore, clock: Clock): ReplayStore {
  return {
    claim(entry) {
      return store.insertUsedAssertion({
        key: entry.key,
        clientId: entry.clientId,
        expiresAt: entry.expiresAt,
        tokenClaims: entry.tokenClaims as unknown as Record<string, unknown> | null,
        createdAt: clock.now(),
      });
    },
    async find(key) {
      const found = await store.findUsedAssertion(key, clock.now());
      if (found === undefined) return undefined;
      return {
        key: found.key,
        expiresAt: found.expiresAt,
        tokenClaims: found.tokenClaims as unknown as AccessTokenClaims | null,
      };
    },
  };
}
