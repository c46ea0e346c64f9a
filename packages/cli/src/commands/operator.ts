/**
 * `pims operator create --email … --name …`: the first (and every further) operator, made against the IMS database.
 * The password is prompted for without echo on a TTY, or read from stdin with `--password-stdin`; there is never a
 * default password. At least 12 characters.
 */
import type { Command } from 'commander';
import { runAction } from '../run-action.js';
import { CLI_CONTEXT, ioOf, parse, withConsole, type ConsoleCommandDeps } from './org.js';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the TTY without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(question);
  muted._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

export function registerOperatorCommands(program: Command, deps: ConsoleCommandDeps = {}): Command {
  const io = ioOf(deps);
  const operator = program.command('operator').description('operators of this platform');
  operator
    .command('create')
    .description('create an operator (prompts for the password, or --password-stdin)')
    .requiredOption('--email <email>', 'the operator’s e-mail (their login)')
    .requiredOption('--name <name>', 'the operator’s name')
    .option('--password-stdin', 'read the password from stdin (first line)')
    .option('--json', 'print the operator as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(
        async (
          options: { email: string; name: string; passwordStdin?: boolean; json?: boolean },
          command: Command,
        ) => {
          const { emailField, nameField, passwordField } = await import('@pims/contracts');
          const email = await parse(emailField, options.email).catch(() => {
            throw new Error('--email must be an e-mail address');
          });
          const name = await parse(nameField, options.name).catch((err: Error) => {
            throw new Error(err.message.replace(/^--input/, '--name'));
          });
          let password: string;
          if (options.passwordStdin)
            password = (await (deps.readStdin ?? readAllStdin)()).split(/\r?\n/)[0] ?? '';
          else if (deps.promptPassword || process.stdin.isTTY) {
            const prompt = deps.promptPassword ?? promptHidden;
            password = await prompt('password: ');
            if ((await prompt('password again: ')) !== password) throw new Error('the passwords differ');
          } else throw new Error('no TTY to ask for the password: pass --password-stdin and pipe it in');
          const checked = await parse(passwordField, password).catch((err: Error) => {
            throw new Error(err.message.replace(/^--input/, 'the password'));
          });
          const created = await withConsole(io, deps, command.args, (services) =>
            services.createOperator(CLI_CONTEXT, { email, name, password: checked }),
          );
          if (options.json) io.out(`${JSON.stringify(created)}\n`);
          else io.out(`created operator ${created.email} (${created.id})\n`);
        },
      ),
    );
  return operator;
}
