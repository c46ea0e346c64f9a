import type { FastifyInstance, LogLevel } from 'fastify';

export interface HealthDeps {
  /** Resolves when every dependency the server needs to answer requests is reachable; throws otherwise. */
  checkReady(): Promise<void>;
}

/** A readiness check that has not answered by then counts as failed, so `/health/ready` answers within 2 s. */
export const READY_CHECK_TIMEOUT_MS = 1_500;

function withinTimeout(check: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('readiness check timed out'), { code: 'TIMEOUT' })),
      ms,
    );
  });
  return Promise.race([check, timedOut]).finally(() => clearTimeout(timer));
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Probes are frequent: their requests log at `warn` at most, and never more than the server's own level allows. */
function quieterOf(level: string, atMost: LogLevel): LogLevel {
  const index = LEVELS.indexOf(level as LogLevel);
  return index > LEVELS.indexOf(atMost) ? (LEVELS[index] ?? atMost) : atMost;
}

/**
 * `/health/live`: the process answers. `/health/ready`: storage (and whatever else `checkReady` covers) answers too;
 * 503 while it doesn't (or takes longer than `READY_CHECK_TIMEOUT_MS`), back to 200 on recovery without a restart.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const logLevel = quieterOf(app.log.level, 'warn');
  app.get(
    '/health/live',
    {
      schema: {
        summary: 'Liveness: the process answers.',
        tags: ['health'],
        response: { 200: statusSchema },
      },
      logLevel,
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );

  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'Readiness: storage and every other dependency answer (503 while they do not).',
        tags: ['health'],
        response: { 200: statusSchema, 503: statusSchema },
      },
      logLevel,
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      try {
        await withinTimeout(deps.checkReady(), READY_CHECK_TIMEOUT_MS);
        return { status: 'ready' };
      } catch (err) {
        request.log.warn({ err: { code: (err as { code?: unknown }).code } }, 'readiness check failed');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
}
