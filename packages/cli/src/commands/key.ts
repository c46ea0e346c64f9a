/**
 * `pims key rotate | prune | list`: the IMS signing-key lifecycle, run by the operator against the IMS database.
 *
 * Rotation without failed requests:
 * 1. `pims key rotate` stages a `next` key: published in `/ims/keys` at once, signing nothing yet.
 * 2. Wait at least one gateway key-set refresh interval (and the 5-minute cache lifetime of `/ims/keys`); then
 *    `pims key rotate` again activates it. The old key retires and stays published until its last token expires.
 *    Every IMS instance picks the new key up on its next key reload (every 30 s).
 * 3. Later, `pims key prune` deletes retired keys whose tokens have all expired (they already left `/ims/keys`).
 *
 * Core is imported lazily inside each action, so registering these commands loads no server code.
 */
import type { Command } from 'commander';
import type * as Core from '@pims/core';
import type { Config, OpenedStorage, RotationResult, SigningKeyInfo } from '@pims/core';
import { runAction } from '../run-action.js';
import { explainStartupError } from './startup-errors.js';

export interface KeyCommandDeps {
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Data output (default: process.stdout). */
  stdout?: (text: string) => void;
  /** Progress, hints and warnings (default: process.stderr). */
  stderr?: (text: string) => void;
  /** Milliseconds since the epoch (default `Date.now`). */
  clock?: () => number;
}

interface Io {
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => number;
}

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

async function withStorage<T>(
  io: Io,
  flags: readonly string[],
  run: (core: typeof Core, config: Readonly<Config>, storage: OpenedStorage) => Promise<T>,
): Promise<T> {
  const core = await import('@pims/core');
  const { config, warnings } = core.loadConfig({ env: io.env, flags: [...flags] });
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  const storage = await core
    .createStorage({ url: config.databaseUrl, dataDir: config.dataDir })
    .catch((err: unknown) => {
      throw explainStartupError(err, config);
    });
  try {
    return await run(core, config, storage);
  } finally {
    await storage.close();
  }
}

function describeRotation(result: RotationResult, io: Io): void {
  if (result.step === 'staged') {
    io.out(`staged ${result.kid}\n`);
    io.err(
      `${result.created ? 'the next signing key is published in /ims/keys' : 'another run had already staged it'}; ` +
        'it signs nothing yet. After every gateway has refreshed its key set (5 minutes at least), run ' +
        '`pims key rotate` again to activate it.\n',
    );
    return;
  }
  io.out(`activated ${result.kid}\n`);
  for (const retired of result.retired)
    io.out(`retired ${retired.kid} (removable after ${iso(retired.removeAfter)})\n`);
  io.err('IMS instances switch to the new key within their key reload interval (30 s).\n');
  if (result.retired.length > 0)
    io.err('Run `pims key prune` after the time above to delete the retired key.\n');
}

function printKeys(keys: SigningKeyInfo[], io: Io): void {
  io.out(
    'KID                         STATE    CREATED                  ACTIVATED                REMOVE AFTER             PUBLISHED\n',
  );
  for (const key of keys) {
    const cells = [
      key.kid.padEnd(27),
      key.state.padEnd(8),
      iso(key.createdAt).padEnd(24),
      iso(key.activatedAt).padEnd(24),
      iso(key.removeAfter).padEnd(24),
      key.published ? 'yes' : 'no',
    ];
    io.out(`${cells.join(' ')}\n`);
  }
}

/**
 * Adds `pims key rotate [--force] [--json]`, `pims key prune [--json]` and `pims key list [--json]` to `program`.
 * Configuration comes from the environment (`PIMS_*`) and configuration flags after the command. Exit codes: 0 done,
 * 1 refused (bad configuration, undecryptable keys, next key staged too recently), 2 database unreachable.
 *
 * @example
 * registerKeyCommands(program, {});
 * // $ pims key rotate        → staged ims-…
 * // $ pims key rotate        → activated ims-…  (at least 5 minutes later)
 */
export function registerKeyCommands(program: Command, deps: KeyCommandDeps = {}): Command {
  const io: Io = {
    env: deps.env ?? process.env,
    out: deps.stdout ?? ((text) => void process.stdout.write(text)),
    err: deps.stderr ?? ((text) => void process.stderr.write(text)),
    clock: deps.clock ?? Date.now,
  };
  const key = program
    .command('key')
    .description('IMS signing keys: stage and activate a new key, prune old ones');

  key
    .command('rotate')
    .description('one rotation step: stage a next key if there is none, else activate the staged key')
    .option('--force', 'activate even if the next key was staged less than 5 minutes ago')
    .option('--json', 'print the result as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(async (options: { force?: boolean; json?: boolean }, command: Command) => {
        const result = await withStorage(io, command.args, async (core, config, storage) => {
          const { keyEncryptionKey } = await core.resolveKeyMaterial(config);
          const ring = core.createSigningKeyRing({
            storage,
            kek: keyEncryptionKey,
            clock: io.clock,
            config,
            logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
          });
          io.err('checking the stored signing keys…\n');
          return ring.rotate({ force: options.force ?? false });
        });
        if (options.json) io.out(`${JSON.stringify(result)}\n`);
        else describeRotation(result, io);
      }),
    );

  key
    .command('prune')
    .description('delete retired keys whose tokens have all expired')
    .option('--json', 'print the result as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(async (options: { json?: boolean }, command: Command) => {
        const removed = await withStorage(io, command.args, (core, _config, storage) =>
          core.pruneRetiredSigningKeys(storage, io.clock()),
        );
        if (options.json) io.out(`${JSON.stringify({ removed })}\n`);
        else if (removed.length === 0) io.err('no retired key is past its removal time\n');
        else for (const kid of removed) io.out(`removed ${kid}\n`);
      }),
    );

  key
    .command('list')
    .description('list the signing keys and their states (no key material)')
    .option('--json', 'print the keys as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(async (options: { json?: boolean }, command: Command) => {
        const keys = await withStorage(io, command.args, async (core, _config, storage) =>
          core.describeSigningKeys(await storage.signingKeys.listSigningKeys(), io.clock()),
        );
        if (options.json) io.out(`${JSON.stringify({ keys })}\n`);
        else printKeys(keys, io);
      }),
    );
  return key;
}
