/**
 * A small stand-in for the IMS's public endpoints a gateway reads: `GET /ims/keys` (JWKS) and
 * `GET /ims/revocations?since=&limit=` on 127.0.0.1, port 0. Keys and revocations can be changed while it runs, and it
 * can be stopped and started again on the same port. A revocation can be left uncommitted — its `seq` taken, the row
 * not yet visible — as on PostgreSQL while its transaction is open, and committed after later ones.
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
  /**
   * Writes a revocation with the next `seq` and returns that `seq`. With `uncommitted: true` the feed does not show
   * it until `commit(seq)`.
   */
  revoke(
    kind: FakeRevocation['kind'],
    subject: string,
    options: { expiresAt: number; createdAt: number; uncommitted?: boolean },
  ): number;
  /** Makes an uncommitted revocation visible in the feed, in its `seq` place. */
  commit(seq: number): void;
  /** Requests served, by path. */
  readonly hits: Map<string, number>;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export async function startFakeIms(keys: readonly TestSigningKey[]): Promise<FakeIms> {
  let published = keys;
  const revocations: FakeRevocation[] = [];
  const uncommitted = new Set<number>();
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
          // As the IMS: oldest first, at most `limit` (1000 by default and at most), committed rows only.
          const since = Number(url.searchParams.get('since') ?? '0');
          const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? '1000')), 1000);
          const page = revocations.filter((r) => r.seq > since && !uncommitted.has(r.seq)).slice(0, limit);
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
      const seq = revocations.length + 1;
      revocations.push({ seq, kind, subject, expires_at: options.expiresAt, created_at: options.createdAt });
      if (options.uncommitted === true) uncommitted.add(seq);
      return seq;
    },
    commit(seq) {
      uncommitted.delete(seq);
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
