/**
 * Our IMS posing as Adobe's stage IMS, for clients whose IMS host is hard-coded (`@adobe/aio-lib-ims@8`: `new Ims(env)`
 * picks `https://ims-na1-stg1.adobelogin.com` or `https://ims-na1.adobelogin.com`; there is no URL option).
 *
 * - The real server (`startServer`) on 127.0.0.1 and a free port, SQLite in a temporary directory, the demo credential
 *   seeded, with its public URL set to `https://ims-na1-stg1.adobelogin.com` (so `aud`, metascope claims and `iss`
 *   are what the client builds) and the IMS name `ims-na1-stg1` (the `as` claim, which `Ims.fromToken` maps back).
 * - An HTTP proxy on 127.0.0.1 that answers `CONNECT ims-na1-stg1.adobelogin.com:443` by terminating TLS itself with a
 *   throw-away self-signed certificate for that name and forwarding the requests to the server. Every other target is
 *   refused, so nothing leaves the machine.
 *
 * A client process reaches it with the standard `HTTPS_PROXY` variable (honoured by aio-lib-core-networking) and
 * trusts the certificate with `NODE_EXTRA_CA_CERTS` (read by Node at start-up, hence a child process).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClientKeyPair, loadConfig } from '@pims/core';
import { startServer, type RunningServer } from '@pims/server';
import { credentialsFrom, type HarnessCredentials } from '../ims-harness.js';

export const ADOBE_STAGE_IMS_HOST = 'ims-na1-stg1.adobelogin.com';
export const ADOBE_STAGE_IMS_URL = `https://${ADOBE_STAGE_IMS_HOST}`;

export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  contentType: string | undefined;
  authorization: boolean;
}

export interface StageIms {
  /** `https://ims-na1-stg1.adobelogin.com`: the server's public URL (`iss`, `aud` base). */
  url: string;
  /** The plain-HTTP address the server listens on, for checks from the test itself. */
  localUrl: string;
  /** `http://127.0.0.1:<port>`: give it to the client as `HTTPS_PROXY`. */
  proxyUrl: string;
  /** PEM file of the proxy's certificate: give it to the client as `NODE_EXTRA_CA_CERTS`. */
  caFile: string;
  credentials: HarnessCredentials;
  privateKeyPem: string;
  privateKeyFile: string;
  /** Every request forwarded to the IMS, in order. */
  requests: ProxiedRequest[];
  /** Every `CONNECT` target asked of the proxy (`host:port`), refused or not. */
  connectTargets: string[];
  server: RunningServer;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

async function freePort(): Promise<number> {
  const probe = createHttpServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Starts the IMS and its TLS-terminating proxy; `env` adds `PIMS_*` settings (e.g. a token lifetime). */
export async function startStageIms(options: { env?: Record<string, string> } = {}): Promise<StageIms> {
  const dir = mkdtempSync(join(tmpdir(), 'pims-compat-stage-'));
  const sockets = new Set<Socket>();
  let server: RunningServer | undefined;
  let proxy: Server | undefined;
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    if (proxy !== undefined) {
      const closing = proxy;
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    }
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const { config } = loadConfig({
      env: {
        PIMS_ENVIRONMENT: 'sandbox',
        PIMS_LOG_LEVEL: 'silent',
        PIMS_IMS_NAME: 'ims-na1-stg1',
        ...options.env,
        PIMS_DATA_DIR: join(dir, 'data'),
        PIMS_HOST: '127.0.0.1',
        PIMS_IMS_PORT: String(port),
        PIMS_IMS_URL: ADOBE_STAGE_IMS_URL,
      },
    });
    server = await startServer({ config, demo: true, port });
    const demo = server.demo;
    if (demo === undefined) throw new Error('the demo credential was not created');
    const localUrl = `http://127.0.0.1:${port}`;

    // The proxy's certificate: self-signed for the stage host name (Node checks the CN when there is no SAN).
    const tls = await generateClientKeyPair({
      commonName: ADOBE_STAGE_IMS_HOST,
      now: Date.now(),
      validityDays: 2,
    });
    const caFile = join(dir, 'proxy-ca.pem');
    writeFileSync(caFile, tls.certificatePem);

    const requests: ProxiedRequest[] = [];
    const connectTargets: string[] = [];
    const terminator = createHttpsServer({ key: tls.privateKeyPem, cert: tls.certificatePem }, (req, res) => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization !== undefined,
      });
      const upstream = httpRequest(
        `${localUrl}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502).end();
      });
      req.pipe(upstream);
    });
    terminator.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });

    proxy = createHttpServer((_req, res) => {
      res.writeHead(403).end(); // plain-HTTP proxying is not offered
    });
    proxy.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    proxy.on('connect', (req, socket: Socket, head: Buffer) => {
      const target = req.url ?? '';
      connectTargets.push(target);
      if (target !== `${ADOBE_STAGE_IMS_HOST}:443`) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      terminator.emit('connection', socket);
    });
    const proxyPort = await listen(proxy);

    return {
      url: config.imsUrl,
      localUrl,
      proxyUrl: `http://127.0.0.1:${proxyPort}`,
      caFile,
      credentials: credentialsFrom(demo.workspaceFile),
      privateKeyPem: readFileSync(demo.privateKeyFile, 'utf8'),
      privateKeyFile: demo.privateKeyFile,
      requests,
      connectTargets,
      server,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
