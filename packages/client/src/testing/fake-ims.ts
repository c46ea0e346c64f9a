// A stand-in for the IMS token endpoints (DESIGN.md §3.1, §3.2), for fault injection in the SDK's tests.
// It verifies assertions with jose like the real IMS; replace with the real server for end-to-end tests.
import { randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors as joseErrors, jwtVerify } from 'jose';

export interface FakeImsClient {
  clientId: string;
  clientSecrets: string[];
  orgId: string;
  technicalAccountId: string;
  publicKey: KeyObject;
  metaScopes: string[];
  scopes: string[];
}

/** A canned answer (or a dropped connection / no answer) for the next request. */
export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  kind?: 'reset' | 'hang';
}

export interface FakeImsRequest {
  path: string;
  form: Record<string, string>;
  contentType: string | undefined;
}

export interface FakeIms {
  url: string;
  /** Requests received per endpoint path. */
  requests: FakeImsRequest[];
  count(path: '/ims/exchange/jwt' | '/ims/token/v3'): number;
  /** Queue faults; each is used by one request, in order. */
  fail(...faults: Fault[]): void;
  /** Drops faults no request has used. */
  clearFaults(): void;
  /** Tokens issued so far. */
  issued: Set<string>;
  close(): Promise<void>;
}

export interface FakeImsOptions {
  clients: FakeImsClient[];
  /** JWT exchange `expires_in` (ms); default 24 h. */
  jwtLifetimeMs?: number;
  /** OAuth `expires_in` (s); default 24 h. */
  oauthLifetimeSeconds?: number;
  /** The IMS's clock (ms); default Date.now. */
  now?: () => number;
  /** Delay every answer (ms). */
  delayMs?: number;
}

class ImsFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(error);
  }
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    throw new ImsFailure(400, 'bad_request', 'unsupported content type');
  }
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (key in form) throw new ImsFailure(400, 'bad_request', 'a parameter was given twice');
    form[key] = value;
  }
  return form;
}

function authenticate(clients: FakeImsClient[], form: Record<string, string>): FakeImsClient {
  const client = clients.find((c) => c.clientId === form.client_id);
  if (!client) throw new ImsFailure(400, 'invalid_client', 'invalid client');
  if (!form.client_secret || !client.clientSecrets.includes(form.client_secret)) {
    throw new ImsFailure(401, 'invalid_client', 'invalid client secret');
  }
  return client;
}

export async function startFakeIms(options: FakeImsOptions): Promise<FakeIms> {
  const now = options.now ?? Date.now;
  const requests: FakeImsRequest[] = [];
  const faults: Fault[] = [];
  const issued = new Set<string>();
  const seenJti = new Set<string>();
  let url = '';

  const exchange = async (form: Record<string, string>) => {
    const client = authenticate(options.clients, form);
    if (!form.jwt_token) throw new ImsFailure(400, 'invalid_token', 'missing jwt_token');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(form.jwt_token, client.publicKey, {
        algorithms: ['RS256'],
        audience: `${url}/c/${client.clientId}`,
        issuer: client.orgId,
        subject: client.technicalAccountId,
        requiredClaims: ['exp'],
        clockTolerance: 30,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (
        error instanceof joseErrors.JWSSignatureVerificationFailed ||
        error instanceof joseErrors.JOSEAlgNotAllowed
      ) {
        throw new ImsFailure(400, 'invalid_signature', 'signature verification failed');
      }
      throw new ImsFailure(400, 'invalid_token', 'invalid assertion');
    }
    const metascopes = Object.keys(payload).filter((k) => k.startsWith(`${url}/s/`));
    const bound = metascopes.every(
      (k) => payload[k] === true && client.metaScopes.includes(k.slice(url.length + 3)),
    );
    if (metascopes.length === 0 || !bound) throw new ImsFailure(400, 'invalid_scope', 'invalid metascope');
    if (typeof payload.jti === 'string') {
      if (seenJti.has(payload.jti)) throw new ImsFailure(400, 'invalid_token', 'assertion already used');
      seenJti.add(payload.jti);
    }
    return { token_type: 'bearer', access_token: mint(), expires_in: options.jwtLifetimeMs ?? 86_399_996 };
  };

  const clientCredentials = (form: Record<string, string>) => {
    if (form.grant_type !== 'client_credentials') {
      throw new ImsFailure(400, 'unsupported_grant_type', 'unsupported grant type');
    }
    const client = authenticate(options.clients, form);
    const scopes = (form.scope ?? '').split(',').filter(Boolean);
    if (scopes.length === 0 || !scopes.every((s) => client.scopes.includes(s))) {
      throw new ImsFailure(400, 'invalid_scope', 'invalid scope');
    }
    return { access_token: mint(), token_type: 'bearer', expires_in: options.oauthLifetimeSeconds ?? 86_399 };
  };

  const mint = () => {
    const token = `fake-at.${randomBytes(12).toString('base64url')}`;
    issued.add(token);
    return token;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(json);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', url).pathname;
    const fault = faults.shift();
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') return;
    let form: Record<string, string> = {};
    try {
      if (req.method !== 'POST') throw new ImsFailure(405, 'bad_request', 'method not allowed');
      form = await readForm(req);
      requests.push({ path, form, contentType: req.headers['content-type'] });
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (fault) {
        send(
          res,
          fault.status ?? 500,
          fault.body ?? { error: 'server_error', error_description: 'injected' },
          fault.headers,
        );
        return;
      }
      if (path === '/ims/exchange/jwt') send(res, 200, await exchange(form));
      else if (path === '/ims/token/v3') send(res, 200, clientCredentials(form));
      else throw new ImsFailure(404, 'not_found', 'not found');
    } catch (error) {
      if (!(error instanceof ImsFailure)) throw error;
      send(
        res,
        error.status,
        { error: error.error, error_description: error.description },
        { 'x-debug-id': 'dbg-1' },
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'server_error', error_description: 'internal error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    issued,
    count: (path) => requests.filter((r) => r.path === path).length,
    fail: (...more) => faults.push(...more),
    clearFaults: () => faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
