/**
 * `pims token`: gets an access token with the SDK (JWT exchange or OAuth server-to-server) and prints it.
 */
import { TokenManager } from '@pims/client';
import {
  CLI_RETRY,
  credentialsFromFlags,
  environmentFromFlags,
  processIo,
  type CliIo,
  type CredentialFlags,
  type EnvironmentFlags,
} from './credentials.js';

export interface TokenCommandOptions extends EnvironmentFlags, CredentialFlags {
  json?: boolean | undefined;
}

function inWords(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * Prints an access token on stdout: the bare token, or with `--json`
 * `{"access_token","token_type","expires_in","expires_at","type","client_id","ims_url"}` (`expires_in` in seconds).
 * Progress goes to stderr. Credentials from `--credentials FILE` or the `PIMS_*` variables.
 *
 * @example
 * // $ pims token --credentials .pims/demo/workspace.json --env http://127.0.0.1:8180 --json
 * await tokenCommand({ credentials: '.pims/demo/workspace.json', env: 'http://127.0.0.1:8180', json: true });
 */
export async function tokenCommand(options: TokenCommandOptions, io: CliIo = processIo()): Promise<void> {
  const environment = environmentFromFlags(options, false);
  const credentials = credentialsFromFlags(options, io.env);
  const kind = credentials.type === 'jwt' ? 'JWT exchange' : 'OAuth server-to-server';
  io.err(`requesting a token (${kind}, client ${credentials.clientId}) from ${environment.imsUrl}…\n`);
  const tokens = new TokenManager({ environment, credentials, fetch: io.fetch, retry: CLI_RETRY });
  const token = await tokens.getToken();
  const remaining = token.expiresAt - Date.now();
  io.err(`token expires at ${new Date(token.expiresAt).toISOString()} (in ${inWords(remaining)})\n`);
  if (!options.json) {
    io.out(`${token.accessToken}\n`);
    return;
  }
  const result = {
    access_token: token.accessToken,
    token_type: token.tokenType,
    expires_in: Math.max(0, Math.floor(remaining / 1000)),
    expires_at: new Date(token.expiresAt).toISOString(),
    type: credentials.type,
    client_id: credentials.clientId,
    ims_url: environment.imsUrl,
  };
  io.out(`${JSON.stringify(result, null, 2)}\n`);
}
