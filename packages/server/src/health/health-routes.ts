import type { FastifyInstance } from 'fastify';

export interface HealthDeps {
  /** Resolves when every dependency the server needs to answer requests is reachable; throws otherwise. */
  checkReady(): Promise<void>;
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

/**
 * `/health/live`: the process answers. `/health/ready`: storage (and whatever else `checkReady` covers) answers too;
 * 503 while it doesn't, back to 200 on recovery without a restart.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get(
    '/health/live',
    { schema: { response: { 200: statusSchema } }, logLevel: 'warn' },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );

  app.get(
    '/health/ready',
    { schema: { response: { 200: statusSchema, 503: statusSchema } }, logLevel: 'warn' },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      try {
        await deps.checkReady();
        return { status: 'ready' };
      } catch (err) {
        request.log.warn({ err: { code: (err as { code?: unknown }).code } }, 'readiness check failed');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
}
