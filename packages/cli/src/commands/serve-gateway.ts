import type { Config } from '@pims/core';
import { createLogger } from '@pims/core';
import { startGateway, type RunningGateway } from '@pims/gateway';
import { loadConfigOrExit } from './load.js';

/**
 * Starts the Partner API gateway (with the built-in sample upstream) from the configuration: listens on
 * `host:apiPort`, trusts the IMS at `imsUrl` (keys and revocation feed over HTTP), persists its last-known-good key set
 * under `dataDir`, shares rate limits through `redisUrl` when set. `pims start` calls this after the IMS listens.
 *
 * @example
 * const gateway = await startGatewayFromConfig(config);
 * process.stdout.write(`ready Partner API gateway ${config.apiUrl} (listening on ${gateway.url})\n`);
 */
export async function startGatewayFromConfig(
  config: Readonly<Config>,
  options: { port?: number; imsUrl?: string } = {},
): Promise<RunningGateway> {
  const logger = createLogger(config);
  return startGateway({
    host: config.host,
    port: options.port ?? config.apiPort,
    imsUrl: options.imsUrl ?? config.imsUrl,
    issuer: config.imsUrl,
    dataDir: config.dataDir,
    revocationPollMs: config.revocationPoll * 1000,
    ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
    logger,
    fastifyLogger: logger,
  });
}

/**
 * `pims serve gateway`: the gateway alone, in front of an IMS running elsewhere (`PIMS_IMS_URL`). Prints a `ready`
 * line, then runs until SIGINT or SIGTERM, when it drains in-flight requests.
 */
export async function serveGatewayCommand(options: { flags: readonly string[] }): Promise<void> {
  const config = loadConfigOrExit(options.flags);
  const startedAt = performance.now();
  const gateway = await startGatewayFromConfig(config);
  const elapsed = Math.round(performance.now() - startedAt);
  process.stdout.write(
    `ready Partner API gateway ${config.apiUrl} (listening on ${gateway.url}, ${elapsed} ms)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: draining in-flight requests and stopping\n`);
      gateway.close().then(resolve, (err: unknown) => {
        process.stderr.write(
          `pims: error while stopping: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
