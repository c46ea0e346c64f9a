import { createLogger, createStorage, resolveKeyMaterial, type Config, type Storage } from '@pims/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';

export interface StartServerOptions {
  config: Readonly<Config>;
  logger?: Logger;
  /** Port to listen on; defaults to `config.imsPort` (0 picks a free one, as tests do). */
  port?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  storage: Storage;
  /** The address it listens on, e.g. `http://127.0.0.1:8180`. */
  url: string;
  /** Stops accepting connections, drains in-flight requests, then closes storage. */
  close(): Promise<void>;
}

/**
 * The IMS server's composition root: key material, storage (migrated), services, routes, listen.
 * Fails with a clear error, and leaves nothing running, when any of them can't be had.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  await resolveKeyMaterial(config);
  const storage = await createStorage({ url: config.databaseUrl, dataDir: config.dataDir });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({
      logger,
      trustProxy: config.trustProxy,
      checkReady: () => storage.ping(),
      routes: [],
    });
    const address = await app.listen({ host: config.host, port: options.port ?? config.imsPort });
    const url = address.replace('[::1]', 'localhost');
    const running = app;
    return {
      app: running,
      storage,
      url,
      async close() {
        await running.close();
        await storage.close();
      },
    };
  } catch (err) {
    await app?.close();
    await storage.close();
    throw err;
  }
}
