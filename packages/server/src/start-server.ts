import {
  createIdGenerator,
  createLogger,
  createStorage,
  ensureDemo,
  keyedHash,
  resolveKeyMaterial,
  startPruneJob,
  systemClock,
  type Config,
  type DemoResult,
  type ImsServices,
  type PruneJob,
  type Storage,
} from '@pims/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { composeIms } from './compose.js';
import { composeConsole } from './console-api/compose-console.js';

export interface StartServerOptions {
  config: Readonly<Config>;
  logger?: Logger;
  /** Port to listen on; defaults to `config.imsPort` (0 picks a free one, as tests do). */
  port?: number;
  /**
   * Sandbox only: create the demo org, project and credential on first start and write
   * `$PIMS_DATA_DIR/demo/workspace.json` and `private.key` (idempotent). Ignored in production.
   */
  demo?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  storage: Storage;
  /** The IMS protocol services (for the console API and tests). */
  services: ImsServices;
  /** Set when `demo` was asked for in the sandbox: what exists and where its files are. */
  demo: DemoResult | undefined;
  /** The address it listens on, e.g. `http://127.0.0.1:8180`. */
  url: string;
  /** The scheduled prune job (expired rows, audit events past `PIMS_AUDIT_RETENTION_DAYS`); `runNow()` runs it at once. */
  pruning: PruneJob;
  /**
   * Stops accepting connections, drains in-flight requests, stops pruning (waiting for a run in progress), writes
   * what is pending, then closes storage.
   */
  close(): Promise<void>;
}

/**
 * PostgreSQL waits of the server, so that storage down answers 503 within 2 s rather than hanging: a connection
 * (new, or a free one from the pool) within 1 s, a query's answer within 1.5 s — also when the network silently drops
 * packets, which `statement_timeout` alone would not notice. SQLite ignores them.
 */
const STORAGE_TIMEOUTS = { connectTimeoutMs: 1_000, queryTimeoutMs: 1_500 } as const;

/**
 * The IMS server's composition root: key material, storage (migrated), services, routes, listen, then the pruning job.
 * Fails with a clear error, and leaves nothing running, when any of them can't be had.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const keyMaterial = await resolveKeyMaterial(config);
  const storage = await createStorage({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    ...STORAGE_TIMEOUTS,
  });
  let app: FastifyInstance | undefined;
  let ims: Awaited<ReturnType<typeof composeIms>> | undefined;
  try {
    ims = await composeIms({ config, storage, keyMaterial, logger });
    const composed = ims;
    const demo =
      options.demo === true && config.environment === 'sandbox'
        ? await ensureDemo({
            storage,
            dataDir: config.dataDir,
            ids: createIdGenerator({
              orgIdSuffix: config.orgIdSuffix,
              technicalAccountSuffix: config.technicalAccountSuffix,
            }),
            clock: { now: () => Date.now() },
            hashSecret: (secret) => keyedHash(keyMaterial.secretKey, secret),
          })
        : undefined;
    const consoleApi = composeConsole({ config, storage, keyMaterial, logger, ims: composed.services });
    app = await buildApp({
      logger,
      trustProxy: config.trustProxy,
      checkReady: async () => {
        await storage.ping();
        await composed.checkReady();
      },
      routes: [composed.routes, consoleApi.routes],
    });
    const address = await app.listen({ host: config.host, port: options.port ?? config.imsPort });
    const url = address.replace('[::1]', 'localhost');
    const running = app;
    // Expired rows (used assertions, revocations, sessions) and audit events past their retention are deleted shortly
    // after start, then every interval.
    const pruning = startPruneJob({
      stores: storage,
      clock: systemClock,
      logger,
      intervalMs: config.pruneInterval * 1000,
      auditRetentionDays: config.auditRetentionDays,
    });
    return {
      app: running,
      storage,
      services: composed.services,
      demo,
      url,
      pruning,
      async close() {
        await running.close();
        await pruning.close();
        await composed.close();
        await storage.close();
      },
    };
  } catch (err) {
    await app?.close();
    await ims?.close();
    await storage.close();
    throw err;
  }
}
