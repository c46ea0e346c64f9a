#!/usr/bin/env node
/**
 * The `pims` command. Every command module is imported lazily, inside its action, so that partner-side commands
 * (token, ping, call, keys, credentials) never load the server's code or native modules.
 */
import { Command } from 'commander';
import { registerKeyCommands } from './commands/key.js';
import { runAction } from './run-action.js';

const program = new Command('pims')
  .description('Partner IMS: identity and authentication for a B2B partner API')
  .version('0.1.0')
  .showHelpAfterError();

program
  .command('start')
  .description('start the sandbox on one host: IMS + console and the Partner API gateway (with a demo org on first run)')
  .option('--no-demo', 'do not create the demo org, project and credential on first run')
  .helpOption('-h, --help', 'display help (configuration flags such as --ims-port: see docs/configuration.md)')
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .action(
    runAction(async (options: { demo: boolean }, command: Command) => {
      const { startCommand } = await import('./commands/start.js');
      await startCommand({ demo: options.demo, flags: command.args });
    }),
  );

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations (the server also applies them on start)')
  .option('--json', 'print the result as JSON')
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .action(
    runAction(async (options: { json?: boolean }, command: Command) => {
      const { dbMigrateCommand } = await import('./commands/db.js');
      await dbMigrateCommand({ json: options.json ?? false, flags: command.args });
    }),
  );

registerKeyCommands(program);

await program.parseAsync(process.argv);
