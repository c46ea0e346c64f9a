/**
 * Child process: Fastify + jose, an RS256 bearer verify on every request (no cache) with a known public key
 * (`PIMS_BENCH_TOKEN_KEY`, SPKI PEM) and issuer (`PIMS_BENCH_ISSUER`): the baseline of a first-seen token.
 */
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { createPublicKey } from 'node:crypto';
import { serveChild } from '../lib/child.js';

serveChild(async () => {
  const key = createPublicKey(process.env.PIMS_BENCH_TOKEN_KEY ?? '');
  const issuer = process.env.PIMS_BENCH_ISSUER ?? '';
  const app = Fastify({ logger: false });
  app.get('/v3/customers', async (request, reply) => {
    const header = request.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer '))
      return reply.code(401).send({ error: 'unauthorized' });
    try {
      await jwtVerify(header.slice(7), key, { algorithms: ['RS256'], issuer });
    } catch {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    return { customers: [] };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, info: {}, close: () => app.close() };
});
