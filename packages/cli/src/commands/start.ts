import { startServer } from '@pims/server';
import { loadConfigOrExit } from './load.js';
import { explainStartupError } from './startup-errors.js';

export interface StartOptions {
  demo: boolean;
  /** Configuration flags, e.g. `['--ims-port', '9000']`. */
  flags: readonly string[];
}

/**
 * `pims start`: the sandbox on one host. Prints one `ready` line per listening part, then runs until SIGINT or
 * SIGTERM, when it stops accepting connections and drains in-flight requests.
 */
const elapsedSince = (start: number): number => Math.round(performance.now() - start);

export async function startCommand(options: StartOptions): Promise<void> {
  const config = loadConfigOrExit(options.flags);
  const startedAt = performance.now();
  const server = await startServer({ config, demo: options.demo }).catch((err: unknown) => {
    throw explainStartupError(err, config);
  });
  process.stdout.write(
    `ready IMS + console ${config.imsUrl} (listening on ${server.url}, ${elapsedSince(startedAt)} ms)\n`,
  );
  const { startGatewayFromConfig } = await import('./serve-gateway.js');
  const gateway = await startGatewayFromConfig(config, { imsUrl: server.url }).catch(async (err: unknown) => {
    await server.close();
    throw err;
  });
  process.stdout.write(
    `ready Partner API gateway ${config.apiUrl} (listening on ${gateway.url}, ${elapsedSince(startedAt)} ms)\n`,
  );
  if (server.demo) {
    process.stdout.write(
      `demo org ${server.demo.orgId}, client id ${server.demo.clientId}\n` +
        `demo credentials ${server.demo.workspaceFile}\n` +
        `demo private key ${server.demo.privateKeyFile}\n`,
    );
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: draining in-flight requests and stopping\n`);
      const closeBoth = async () => {
        await gateway.close();
        await server.close();
      };
      closeBoth().then(resolve, (err: unknown) => {
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
