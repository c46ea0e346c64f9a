import { createDatabase, migrateToLatest } from '@pims/core';
import { loadConfigOrExit } from './load.js';
import { explainStartupError } from './startup-errors.js';

/** `pims db migrate`: applies pending migrations and reports each one. */
export async function dbMigrateCommand(options: { json: boolean; flags: readonly string[] }): Promise<void> {
  const config = loadConfigOrExit(options.flags);
  const db = createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = (
      await migrateToLatest(db).catch((err: unknown) => {
        throw explainStartupError(err, config);
      })
    ).map((result) => result.migrationName);
    if (options.json) process.stdout.write(`${JSON.stringify({ applied })}\n`);
    else if (applied.length === 0) process.stdout.write('database is up to date\n');
    else for (const name of applied) process.stdout.write(`applied ${name}\n`);
  } finally {
    await db.destroy();
  }
}
