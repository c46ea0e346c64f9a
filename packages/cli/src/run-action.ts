/**
 * Wraps a command action: errors print one clear line on stderr (no stack unless PIMS_DEBUG=1) and set the exit code:
 * 1 for user errors (bad input, bad configuration, refused requests), 2 when a server or database is unreachable.
 */
const UNREACHABLE_CODES = new Set([
  'STORAGE_UNAVAILABLE',
  'NETWORK_ERROR',
  'TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  // @pims/client's codes (partner-side commands)
  'network_error',
  'timeout',
  'ims_unavailable',
]);

export function exitCodeFor(err: unknown): 1 | 2 {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code) ? 2 : 1;
}

export function runAction<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`pims: ${message}\n`);
      if (process.env.PIMS_DEBUG === '1' && err instanceof Error && err.stack)
        process.stderr.write(`${err.stack}\n`);
      process.exitCode = exitCodeFor(err);
    }
  };
}
