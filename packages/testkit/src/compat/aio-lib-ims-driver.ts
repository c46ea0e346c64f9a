/**
 * Child-process driver for the `@adobe/aio-lib-ims@8` compatibility tests (aio-lib-ims.test.ts). Runs the library
 * unmodified, through its public API only, in a process whose HOME, XDG_CONFIG_HOME and working directory are a
 * fresh temporary directory (its context store, aio-lib-core-config, lives there) and whose `HTTPS_PROXY` /
 * `NODE_EXTRA_CA_CERTS` lead `https://ims-na1-stg1.adobelogin.com` to our IMS (see adobe-stage-ims.ts). Those are
 * set by the parent before this process starts, so before the library is imported.
 *
 * Usage: node --import tsx aio-lib-ims-driver.ts <input.json> <output.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DriverInput {
  contextName: string;
  /** The IMS context, exactly as a user would `context.set` it. */
  contextData: Record<string, unknown>;
  /** `getToken(contextName)` this many times in a row. */
  getTokenCalls: number;
  /** Then `invalidateToken(contextName)`, validate the old token again, and `getToken` once more. */
  invalidate?: boolean;
}

export interface DriverError {
  message: string;
  code?: string;
}

export interface StoredToken {
  token: string;
  expiry: number;
}

export interface DriverOutput {
  tokens: string[];
  /** `(await context.get(name)).data.access_token` after the `getToken` calls: what the library cached. */
  stored?: StoredToken;
  /** `getTokenData(tokens[0])`. */
  tokenData?: Record<string, unknown>;
  /** `await new Ims(env).validateToken(tokens[0])`. */
  validation?: unknown;
  /** `(await Ims.fromToken(tokens[0])).ims.env`, or the error it rejects with. */
  fromTokenEnv?: string;
  fromTokenError?: string;
  invalidated?: {
    storedAfter: unknown;
    validation: unknown;
    newToken?: string;
    newValidation?: unknown;
    newTokenError?: DriverError;
  };
  error?: DriverError;
}

interface ContextValue {
  data?: { access_token?: StoredToken };
}

/**
 * The part of aio-lib-ims's public API used here. Declared locally: the package's own `types/` do not resolve its
 * context classes and declare `new Ims()` with two required arguments and `validateToken` as returning `object`.
 */
interface ImsInstance {
  env: string;
  validateToken(token: string, clientId?: string): Promise<unknown>;
}
interface AioLibIms {
  context: {
    set(contextName: string, contextData: object, local?: boolean): Promise<void>;
    get(contextName: string): Promise<ContextValue>;
  };
  // Plain functions (arrow functions in the module), safe to take off the module object.
  getToken: (contextName: string, options?: object) => Promise<string>;
  invalidateToken: (contextName: string, force?: boolean) => Promise<unknown>;
  getTokenData: (token: string) => Record<string, unknown>;
  Ims: {
    new (env?: string): ImsInstance;
    fromToken(token: string): Promise<{ token: string; ims: ImsInstance }>;
  };
}

// CommonJS, loaded after the parent set HOME/XDG_CONFIG_HOME/HTTPS_PROXY for this process.
const { context, getToken, getTokenData, invalidateToken, Ims } = createRequire(import.meta.url)(
  '@adobe/aio-lib-ims',
) as AioLibIms;

const errorOf = (err: unknown): DriverError => {
  const { message, code } = err as { message?: unknown; code?: unknown };
  return {
    message: String(message ?? err),
    ...(typeof code === 'string' ? { code } : {}),
  };
};

async function run(input: DriverInput, output: DriverOutput): Promise<void> {
  const { contextName } = input;
  await context.set(contextName, input.contextData);
  for (let call = 0; call < input.getTokenCalls; call++) {
    output.tokens.push(await getToken(contextName));
  }
  const stored = (await context.get(contextName)).data?.access_token;
  if (stored !== undefined) output.stored = stored;
  const [token] = output.tokens;
  if (token === undefined) return;

  output.tokenData = getTokenData(token);
  const env = input.contextData.env;
  const ims = new Ims(typeof env === 'string' ? env : undefined);
  output.validation = await ims.validateToken(token);
  try {
    output.fromTokenEnv = (await Ims.fromToken(token)).ims.env;
  } catch (err) {
    output.fromTokenError = errorOf(err).message;
  }

  if (input.invalidate === true) {
    await invalidateToken(contextName);
    const invalidated: NonNullable<DriverOutput['invalidated']> = {
      storedAfter: (await context.get(contextName)).data?.access_token ?? null,
      validation: await ims.validateToken(token),
    };
    output.invalidated = invalidated;
    // A new second, so the JWT plugin signs a new assertion: the same one again would get the stored (now revoked)
    // token back from pims (a known incompatibility, see docs/compatibility.md and jwt-auth.test.ts).
    await sleep(1005 - (Date.now() % 1000));
    try {
      invalidated.newToken = await getToken(contextName);
      invalidated.newValidation = await ims.validateToken(invalidated.newToken);
    } catch (err) {
      invalidated.newTokenError = errorOf(err);
    }
  }
}

const [inputFile, outputFile] = process.argv.slice(2);
if (inputFile === undefined || outputFile === undefined) {
  console.error('usage: aio-lib-ims-driver <input.json> <output.json>');
  process.exit(2);
}
const output: DriverOutput = { tokens: [] };
try {
  await run(JSON.parse(readFileSync(inputFile, 'utf8')) as DriverInput, output);
} catch (err) {
  output.error = errorOf(err);
}
writeFileSync(outputFile, JSON.stringify(output));
// node-fetch agents may hold sockets open; the result is written, so end here.
process.exit(0);
