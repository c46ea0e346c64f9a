/**
 * `pims org create | list | disable | enable`: the operator onboards a distributor, run against the IMS database (like
 * `pims key`). The org's admins get invitation links, printed here, and e-mailed when `PIMS_SMTP_URL` is set (a
 * failed e-mail is reported; the link stands). Audit rows name the actor `system` (the command line). Disabling an org writes an org-wide
 * revocation: every IMS instance and gateway stops accepting its tokens within the revocation feed bound.
 *
 * Core is imported lazily inside each action, so registering these commands loads no server code.
 */
import type { Command } from 'commander';
import type * as Core from '@pims/core';
import type { Config, ConsoleContext, ConsoleServices, OpenedStorage } from '@pims/core';
import { runAction } from '../run-action.js';
import { explainStartupError } from './startup-errors.js';

export interface ConsoleCommandDeps {
  /** Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  clock?: () => number;
  /** The password when not on a TTY with `--password-stdin` (default: read stdin). */
  readStdin?: () => Promise<string>;
  /** Prompt without echo (default: the TTY). */
  promptPassword?: (question: string) => Promise<string>;
  /** Tests pass a cheap hasher. */
  passwords?: Core.PasswordHasher;
}

export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  out: (text: string) => void;
  err: (text: string) => void;
  clock: () => number;
}

export function ioOf(deps: ConsoleCommandDeps): Io {
  return {
    env: deps.env ?? process.env,
    out: deps.stdout ?? ((text) => void process.stdout.write(text)),
    err: deps.stderr ?? ((text) => void process.stderr.write(text)),
    clock: deps.clock ?? Date.now,
  };
}

export const CLI_CONTEXT: ConsoleContext = { actor: { type: 'system', id: null }, ip: null, requestId: null };

/** Console services over the configured database, as the command line uses them. */
export async function withConsole<T>(
  io: Io,
  deps: ConsoleCommandDeps,
  flags: readonly string[],
  run: (services: ConsoleServices, core: typeof Core, config: Readonly<Config>) => Promise<T>,
): Promise<T> {
  const core = await import('@pims/core');
  const { config, warnings } = core.loadConfig({ env: io.env, flags: [...flags] });
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  const storage: OpenedStorage = await core
    .createStorage({ url: config.databaseUrl, dataDir: config.dataDir })
    .catch((err: unknown) => {
      throw explainStartupError(err, config);
    });
  const smtp =
    config.smtpUrl === undefined
      ? undefined
      : core.createSmtpMailer({
          url: config.smtpUrl,
          from: config.smtpFrom ?? `noreply@${new URL(config.imsUrl).hostname}`,
        });
  try {
    const { secretKey } = await core.resolveKeyMaterial(config);
    const clock = { now: io.clock };
    const revokeUntil = () => io.clock() + (config.accessTokenLifetime + config.clockSkew) * 1000;
    const services = core.createConsoleServices({
      storage,
      settings: { environment: config.environment, consoleUrl: config.imsUrl },
      ids: core.createIdGenerator({
        orgIdSuffix: config.orgIdSuffix,
        technicalAccountSuffix: config.technicalAccountSuffix,
      }),
      secretKey,
      clock,
      // The same rows the IMS revocation service writes; running servers pick them up from the feed.
      revoker: {
        revokeCredential: (c) =>
          storage.revocations.insertRevocation({
            kind: 'credential',
            subject: c.clientId,
            orgId: c.orgId,
            expiresAt: revokeUntil(),
            createdAt: io.clock(),
          }),
        revokeOrg: (orgId) =>
          storage.revocations.insertRevocation({
            kind: 'org',
            subject: orgId,
            orgId,
            expiresAt: revokeUntil(),
            createdAt: io.clock(),
          }),
        invalidateClient: () => undefined,
      },
      mailer: smtp ?? { deliver: () => Promise.resolve(false) },
      onMailFailed: (err) => {
        const code = (err as { code?: unknown }).code;
        io.err(
          `invitation e-mail not sent (${typeof code === 'string' ? code : 'error'}): hand the link over yourself\n`,
        );
      },
      ...(deps.passwords ? { passwords: deps.passwords } : {}),
    });
    return await run(services, core, config);
  } finally {
    smtp?.close();
    await storage.close();
  }
}

async function parse<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
): Promise<T> {
  const result = schema.safeParse(value);
  if (result.success) return Promise.resolve(result.data);
  const issue = result.error.issues[0];
  throw new Error(`--${String(issue?.path[0] ?? 'input')} ${issue?.message ?? 'is invalid'}`);
}

export function registerOrgCommands(program: Command, deps: ConsoleCommandDeps = {}): Command {
  const io = ioOf(deps);
  const org = program
    .command('org')
    .description('organizations (operators): create with admins, list, disable, enable');

  org
    .command('create')
    .description('create an org and invite its admins; prints the invitation links')
    .requiredOption('--name <name>', 'the distributor’s name')
    .option('--admin <email>', 'an admin to invite (repeatable)', (value: string, list: string[] = []) => [
      ...list,
      value,
    ])
    .option('--json', 'print the result as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(async (options: { name: string; admin?: string[]; json?: boolean }, command: Command) => {
        const { createOrgBody } = await import('@pims/contracts');
        const input = await parse(createOrgBody, { name: options.name, admins: options.admin ?? [] });
        const created = await withConsole(io, deps, command.args, (services) =>
          services.createOrg(CLI_CONTEXT, input),
        );
        if (options.json) {
          io.out(`${JSON.stringify(created)}\n`);
          return;
        }
        io.out(`created org ${created.org.id} (${created.org.name})\n`);
        for (const { invitation, link, emailSent } of created.invitations)
          io.out(
            `invitation for ${invitation.email} (admin, expires ${new Date(invitation.expiresAt).toISOString()}${emailSent ? ', e-mailed' : ''}): ${link}\n`,
          );
        io.err('Hand each link to its admin: it is single use and is not shown again.\n');
      }),
    );

  org
    .command('list')
    .description('list orgs')
    .option('--status <status>', 'active or disabled')
    .option('--json', 'print the orgs as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(
      runAction(async (options: { status?: string; json?: boolean }, command: Command) => {
        const { listOrgsQuery } = await import('@pims/contracts');
        const query = await parse(
          listOrgsQuery,
          options.status === undefined ? {} : { status: options.status },
        );
        const orgs = await withConsole(io, deps, command.args, async (services) => {
          const all = [];
          let cursor: string | undefined;
          do {
            const page = await services.listOrgs(CLI_CONTEXT, {
              limit: 500,
              ...(cursor ? { cursor } : {}),
              ...(query.status ? { status: query.status } : {}),
            });
            all.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          return all;
        });
        if (options.json) io.out(`${JSON.stringify({ orgs })}\n`);
        else for (const o of orgs) io.out(`${o.id}  ${o.status.padEnd(8)}  ${JSON.stringify(o.name)}\n`);
      }),
    );

  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    org
      .command(verb)
      .description(
        verb === 'disable' ? 'disable an org: its users and tokens stop working' : 'enable a disabled org',
      )
      .argument('<orgId>', 'the org id (…@AdobeOrg)')
      .option('--json', 'print the org as JSON')
      .allowUnknownOption(true)
      .allowExcessArguments(true)
      .action(
        runAction(async (orgId: string, options: { json?: boolean }, command: Command) => {
          const { orgParams } = await import('@pims/contracts');
          const params = await parse(orgParams, { orgId });
          // The first argument is the org id; configuration flags follow it.
          const updated = await withConsole(io, deps, command.args.slice(1), (services) =>
            services.setOrgStatus(CLI_CONTEXT, params.orgId, status),
          );
          if (options.json) io.out(`${JSON.stringify(updated)}\n`);
          else io.out(`${verb}d org ${updated.id}\n`);
        }),
      );
  }
  return org;
}

export { parse };
