#!/usr/bin/env node
/**
 * The `pims` command. Every command module is imported lazily, inside its action, so that partner-side commands
 * (token, ping, call, keys, credentials) never load the server's code or native modules.
 */
import { Command, Option } from 'commander';
import { registerKeyCommands } from './commands/key.js';
import { registerOperatorCommands } from './commands/operator.js';
import { registerOrgCommands } from './commands/org.js';
import { runAction } from './run-action.js';

const program = new Command('pims')
  .description('Partner IMS: identity and authentication for a B2B partner API')
  .version('0.1.0')
  .showHelpAfterError();

program
  .command('start')
  .description(
    'start the sandbox on one host: IMS + console and the Partner API gateway (with a demo org on first run)',
  )
  .option('--no-demo', 'do not create the demo org, project and credential on first run')
  .helpOption(
    '-h, --help',
    'display help (configuration flags such as --ims-port: see docs/configuration.md)',
  )
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

// Partner-side commands: they load @pims/client only (see commands/credentials.ts).
type PartnerFlags = {
  env?: string;
  apiUrl?: string;
  credentials?: string;
  credential?: string;
  privateKey?: string;
  type?: 'jwt' | 'oauth';
  json?: boolean;
};
const partnerCommand = (name: string, description: string) =>
  program
    .command(name)
    .description(description)
    .option('--env <env>', 'sandbox (default), production, or the URL of a Partner IMS')
    .option('--api-url <url>', 'Partner API base URL (required with --env URL for ping and call)')
    .option(
      '--credentials <file>',
      'Developer Console workspace JSON (default: the PIMS_* environment variables)',
    )
    .option('--credential <name>', 'the credential to use, when the file holds several')
    .option('--private-key <file>', 'private key of a JWT credential (default: private.key beside the file)')
    .addOption(
      new Option('--type <type>', 'JWT exchange or OAuth server-to-server').choices(['jwt', 'oauth']),
    )
    .option('--json', 'print the result as JSON');

partnerCommand('token', 'get an access token from the IMS and print it').action(
  runAction(async (options: PartnerFlags) => {
    const { tokenCommand } = await import('./commands/token.js');
    await tokenCommand(options);
  }),
);

partnerCommand('ping', 'GET /ping on the Partner API (with --auth, with a token)')
  .option('--auth', 'send a token so that the gateway checks it too (needs credentials)')
  .action(
    runAction(async (options: PartnerFlags & { auth?: boolean }) => {
      const { pingCommand } = await import('./commands/ping.js');
      await pingCommand(options);
    }),
  );

partnerCommand('call', 'send one authenticated request to the Partner API and print the answer')
  .argument('<method>', 'GET, POST, PUT, PATCH, DELETE, …')
  .argument('<path>', 'path under the Partner API URL, e.g. /v3/customers')
  .option('--data <json>', 'JSON request body, or @FILE (@- for stdin)')
  .option(
    '-H, --header <header>',
    'extra header "Name: value" (repeatable)',
    (value: string, list: string[] = []) => [...list, value],
  )
  .action(
    runAction(
      async (method: string, path: string, options: PartnerFlags & { data?: string; header?: string[] }) => {
        const { callCommand } = await import('./commands/call.js');
        await callCommand(method, path, options);
      },
    ),
  );

const keys = program.command('keys').description('partner key pairs for JWT credentials');
keys
  .command('generate')
  .description('generate an RSA private key and a self-signed X.509 certificate to upload to a credential')
  .option('--out <dir>', 'directory to write private.key and certificate_pub.crt into', '.')
  .option('--days <n>', 'certificate validity in days (1-3650)', '365')
  .addOption(new Option('--bits <n>', 'RSA key size').choices(['2048', '3072', '4096']).default('2048'))
  .option('--cn <name>', 'certificate subject common name', 'pims partner')
  .option('--force', 'overwrite existing files')
  .option('--json', 'print the result as JSON')
  .action(
    runAction(
      async (options: {
        out: string;
        days: string;
        bits: string;
        cn: string;
        force?: boolean;
        json?: boolean;
      }) => {
        const { keysGenerateCommand } = await import('./commands/keys.js');
        const days = /^\d+$/.test(options.days) ? Number(options.days) : Number.NaN;
        await keysGenerateCommand({ ...options, days, bits: Number(options.bits), commonName: options.cn });
      },
    ),
  );

const credentials = program.command('credentials').description('credential files');
credentials
  .command('show')
  .description('show a Developer Console workspace file, client secrets masked')
  .argument('<file>', 'the workspace JSON')
  .option('--json', 'print the result as JSON')
  .action(
    runAction(async (file: string, options: { json?: boolean }) => {
      const { credentialsShowCommand } = await import('./commands/credentials.js');
      credentialsShowCommand(file, options);
    }),
  );

registerKeyCommands(program);
registerOperatorCommands(program);
registerOrgCommands(program);

await program.parseAsync(process.argv);
