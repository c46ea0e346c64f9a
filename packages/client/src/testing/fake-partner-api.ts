// A stand-in for the Partner API gateway (DESIGN.md §3.4): `/ping` open, everything else needs a known token and
// the right X-Api-Key. Records each request's headers.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePartnerApi {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function startFakePartnerApi(options: {
  clientId: string;
  isValidToken: (token: string) => boolean;
}): Promise<FakePartnerApi> {
  const requests: FakePartnerApi['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const requestId = String(req.headers['x-request-id'] ?? 'gw-generated');
      const reply = (status: number, payload: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'x-request-id': requestId });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (path === '/ping' && !auth) return reply(200, 'pong', 'text/plain');
      if (!token) return reply(403, { code: '4117', message: 'Token missing' });
      if (!options.isValidToken(token)) return reply(401, { code: '4116', message: 'Token invalid' });
      if (req.headers['x-api-key'] !== options.clientId)
        return reply(403, { code: '4115', message: 'API key invalid' });
      if (path === '/ping') return reply(200, 'pong', 'text/plain');
      if (path === '/v3/customers' && req.method === 'POST')
        return reply(201, { id: 'c-1', ...JSON.parse(body || '{}') });
      if (path === '/v3/customers') return reply(200, { items: [] });
      return reply(404, { code: '404', message: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
