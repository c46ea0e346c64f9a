/**
 * The ordered, in-code migration set (no filesystem scan, so bundles and `tsx` runs see the same list).
 * Names sort in the order they run; a landed migration is never edited, only followed by a new one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';

export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initial,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};
