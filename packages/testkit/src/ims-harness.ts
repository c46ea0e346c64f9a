/**
 * An IMS for end-to-end tests (gateway, SDK, CLI): the real server (`startServer`) in this process on 127.0.0.1 and a
 * free port, SQLite in a fresh temporary data directory, the sandbox demo org seeded (org, project, a credential with
 * JWT and OAuth server-to-server enabled, its certificate and secret). Returns what a partner would hold.
 * With `secondOrg: true` a second org is seeded the same way (its own project, credential, certificate and secret), for
 * tenant-isolation tests (GW-3).
 *
 * @example
 * const ims = await startImsHarness();
 * try {
 *   const res = await fetch(`${ims.url}/ims/token/v3`, {
 *     method: 'POST',
 *     body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ims.credentials.clientId,
 *       client_secret: ims.credentials.clientSecret, scope: ims.credentials.scopes.join(',') }),
 *   });
 * } finally {
 *   await ims.stop();
 * }
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createIdGenerator,
  ensureDemo,
  keyedHash,
  loadConfig,
  resolveKeyMaterial,
  type Config,
  type DemoResult,
} from '@pims/core';
import { startServer, type RunningServer } from '@pims/server';

export interface HarnessCredentials {
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId: string;
  technicalAccountEmail: string;
  /** JWT metascopes (`ent_partners_sdk`). */
  metaScopes: string[];
  /** OAuth server-to-server scopes. */
  scopes: string[];
}

/** What a partner of one seeded org holds. */
export interface HarnessOrg {
  credentials: HarnessCredentials;
  /** PKCS#8 PEM of the credential's certificate. */
  privateKeyPem: string;
  /** The org's `workspace.json` and `private.key`, as `pims start` writes them. */
  workspaceFile: string;
  privateKeyFile: string;
}

export interface ImsHarness extends HarnessOrg {
  /** e.g. `http://127.0.0.1:40123`; also the `iss` of its tokens and the base of `aud` (`{url}/c/{clientId}`). */
  url: string;
  /** The demo org's files are `<dataDir>/demo/workspace.json` and `private.key`. */
  dataDir: string;
  /** The second org, when `secondOrg` was asked for (files under `<dataDir>/second-org/demo/`). */
  secondOrg: HarnessOrg | undefined;
  config: Readonly<Config>;
  /** The running server: `server.services` (e.g. `revokeCredential`), `server.storage` for seeding more. */
  server: RunningServer;
  /** Stops the server and removes the data directory (unless `keepDataDir`). */
  stop(): Promise<void>;
}

export interface ImsHarnessOptions {
  /** Extra `PIMS_*` settings (e.g. `{ PIMS_RATE_LIMIT_CLIENT: '5' }`); the data dir, host and port are the harness's. */
  env?: Record<string, string>;
  /** Use this data directory instead of a fresh temporary one (kept on stop). */
  dataDir?: string;
  keepDataDir?: boolean;
  /** Also seed a second org (`Second Distributor`) with its own project, credential, certificate and secret. */
  secondOrg?: boolean;
}

const SECOND_ORG_PROFILE = Object.freeze({
  orgName: 'Second Distributor',
  adminEmail: 'admin@second-distributor.example',
});

interface WorkspaceJson {
  project: {
    org: { ims_org_id: string };
    workspace: {
      details: {
        credentials: Array<{
          jwt: {
            client_id: string;
            client_secret: string;
            technical_account_id: string;
            technical_account_email: string;
            meta_scopes: string[];
          };
          oauth_server_to_server: { scopes: string[] };
        }>;
      };
    };
  };
}

/** The harness's view of a workspace file the demo seeding wrote (its first credential). */
export function credentialsFrom(file: string): HarnessCredentials {
  const workspace = JSON.parse(readFileSync(file, 'utf8')) as WorkspaceJson;
  const entry = workspace.project.workspace.details.credentials[0];
  if (entry === undefined) throw new Error(`no credential in ${file}`);
  return {
    clientId: entry.jwt.client_id,
    clientSecret: entry.jwt.client_secret,
    orgId: workspace.project.org.ims_org_id,
    technicalAccountId: entry.jwt.technical_account_id,
    technicalAccountEmail: entry.jwt.technical_account_email,
    metaScopes: entry.jwt.meta_scopes,
    scopes: entry.oauth_server_to_server.scopes,
  };
}

export async function startImsHarness(options: ImsHarnessOptions = {}): Promise<ImsHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pims-harness-'));
  const removeDataDir = options.dataDir === undefined && options.keepDataDir !== true;
  try {
    // The public URL must be known before listening (it is the tokens' `iss`), so a free port is taken first.
    const port = await freePort();
    const { config } = loadConfig({
      env: {
        PIMS_ENVIRONMENT: 'sandbox',
        PIMS_LOG_LEVEL: 'silent',
        ...options.env,
        PIMS_DATA_DIR: dataDir,
        PIMS_HOST: '127.0.0.1',
        PIMS_IMS_PORT: String(port),
        PIMS_IMS_URL: `http://127.0.0.1:${port}`,
      },
    });
    const server = await startServer({ config, demo: true, port });
    const demo = server.demo;
    if (demo === undefined) {
      await server.close();
      throw new Error('the demo credential was not created');
    }
    let secondOrg: HarnessOrg | undefined;
    try {
      secondOrg = options.secondOrg === true ? harnessOrg(await seedSecondOrg(config, server)) : undefined;
    } catch (err) {
      await server.close();
      throw err;
    }
    return {
      url: config.imsUrl,
      ...harnessOrg(demo),
      secondOrg,
      dataDir,
      config,
      server,
      async stop() {
        await server.close();
        if (removeDataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (removeDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function harnessOrg(seeded: DemoResult): HarnessOrg {
  return {
    credentials: credentialsFrom(seeded.workspaceFile),
    privateKeyPem: readFileSync(seeded.privateKeyFile, 'utf8'),
    workspaceFile: seeded.workspaceFile,
    privateKeyFile: seeded.privateKeyFile,
  };
}

/** The demo seeding (`ensureDemo`) under another org name, into the running server's storage. */
async function seedSecondOrg(config: Readonly<Config>, server: RunningServer): Promise<DemoResult> {
  const { secretKey } = await resolveKeyMaterial(config);
  return ensureDemo({
    storage: server.storage,
    dataDir: join(config.dataDir, 'second-org'),
    ids: createIdGenerator({
      orgIdSuffix: config.orgIdSuffix,
      technicalAccountSuffix: config.technicalAccountSuffix,
    }),
    clock: { now: () => Date.now() },
    hashSecret: (secret) => keyedHash(secretKey, secret),
    profile: SECOND_ORG_PROFILE,
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
