/** Child process: Fastify hello world, the upper reference point of the gateway bench. */
import Fastify from 'fastify';
import { serveChild } from '../lib/child.js';

serveChild(async () => {
  const app = Fastify({ logger: false });
  app.get('/', () => ({ hello: 'world' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, info: {}, close: () => app.close() };
});
