import type { Config } from '@pims/core';

/** The database URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'PIMS_DATABASE_URL';
  }
}

function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * Start-up failures a user can act on, said in their terms: which database, why, and which setting to check.
 * Keeps the error's `code` so the CLI's exit code stays right (2 for unreachable).
 */
export function explainStartupError(err: unknown, config: Pick<Readonly<Config>, 'databaseUrl'>): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'STORAGE_UNAVAILABLE') {
    const why = causeCode(err);
    const message =
      `the database ${redactDatabaseUrl(config.databaseUrl)} is unreachable${why ? ` (${why})` : ''}: ` +
      'check PIMS_DATABASE_URL and that the database server is running';
    return Object.assign(new Error(message, { cause: err }), { code });
  }
  if (code === 'STORAGE_MIGRATION_FAILED') {
    const message = `migrating the database ${redactDatabaseUrl(config.databaseUrl)} failed: ${(err as Error).message}`;
    return Object.assign(new Error(message, { cause: err }), { code });
  }
  return err;
}
