/**
 * Request loggers made on first use. Fastify gives every request a child logger bound to its request id; with the
 * process logger's redaction rules, making one costs several microseconds — on every request, even when the level
 * means it never writes a line (a token endpoint answering thousands of requests a second logs nothing at `warn`).
 * This factory hands out a stand-in that makes the real child only when a line at an enabled level is written, or
 * when something asks for the child itself.
 */
import type { FastifyBaseLogger } from 'fastify';

type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVEL_VALUES: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

const LEVELS: readonly LevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function enabled(current: string, level: LevelName): boolean {
  return (LEVEL_VALUES[level] ?? 0) >= (LEVEL_VALUES[current] ?? 0);
}

export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: Record<string, unknown>,
): FastifyBaseLogger {
  let child: FastifyBaseLogger | undefined;
  const real = (): FastifyBaseLogger => (child ??= parent.child(bindings, options));
  const logger = {
    get level(): string {
      return child?.level ?? parent.level;
    },
    set level(value: string) {
      real().level = value;
    },
    child: (moreBindings: Record<string, unknown>, moreOptions?: Record<string, unknown>) =>
      real().child(moreBindings, moreOptions),
    silent: () => undefined,
  } as unknown as FastifyBaseLogger;
  for (const level of LEVELS) {
    Object.defineProperty(logger, level, {
      enumerable: true,
      value: (...args: unknown[]) => {
        if (child === undefined && !enabled(parent.level, level)) return;
        const write: (...line: unknown[]) => void = real()[level];
        write.apply(child, args);
      },
    });
  }
  return logger;
}

/** Fastify's `childLoggerFactory` option. */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: object,
): FastifyBaseLogger {
  return lazyChildLogger(logger, bindings, options as Record<string, unknown>);
}
