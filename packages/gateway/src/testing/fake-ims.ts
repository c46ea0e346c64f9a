/**
 * A small stand-in for the IMS's public endpoints a gateway reads: `GET /ims/keys` (JWKS) and
 * `GET /ims/revocations?since=` on 127.0.0.1, port 0. Keys and revocations can be changed while it runs, and it can be
 * stopped and started again on the same port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestSigningKey } from './ims-keys.js';

export interface FakeRevocation {
  seq: number;
  kind: 'token' | 'credential' | 'org';
  subject: string;
  expires_at: number;
  created_at: number;
}

export interface FakeIms {
  url: string;
  /** The keys published in the JWKS. */
  publish(keys: readonly TestSigningKey[]): void;
  revoke(
    kind: FakeRevocation['kind'],
    subject: string,
    options: { expiresAt: number; createdAt: number },
  ): void;
  /** Requests served, by path. */
  readonly hits: Map<string, number>;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export async function startFakeIms(keys: readonly TestSigningKey[]): Promise<FakeIms> {
  let published = keys;
  const revocations: FakeRevocation[] = [];
  const hits = new Map<string, number>();
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://ims');
        hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
        let body: unknown;
        if (url.pathname === '/ims/keys') body = { keys: published.map((k) => k.jwk) };
        else if (url.pathname === '/ims/revocations') {
          const since = Number(url.searchParams.get('since') ?? '0');
          const page = revocations.filter((r) => r.seq > since);
          body = { revocations: page, cursor: page.at(-1)?.seq ?? since };
        } else {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        port = (s.address() as AddressInfo).port;
        resolve();
      });
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    publish(next) {
      published = next;
    },
    revoke(kind, subject, options) {
      revocations.push({
        seq: revocations.length + 1,
        kind,
        subject,
        expires_at: options.expiresAt,
        created_at: options.createdAt,
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    restart: listen,
  };
}
