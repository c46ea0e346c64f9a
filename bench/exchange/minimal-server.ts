/**
 * Child process: the reference point of a minimal exchange endpoint. Fastify + jose: parse the form, verify the RS256
 * assertion with a known public key (`PIMS_BENCH_ASSERTION_KEY`, SPKI PEM), sign an RS256 access token.
 */
import Fastify from 'fastify';
import { SignJWT, jwtVerify } from 'jose';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { serveChild } from '../lib/child.js';

serveChild(async () => {
  const assertionKey = createPublicKey(process.env.PIMS_BENCH_ASSERTION_KEY ?? '');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );
  app.post('/ims/exchange/jwt', async (request, reply) => {
    const form = request.body as URLSearchParams;
    const assertion = form.get('jwt_token');
    const clientId = form.get('client_id');
    if (assertion === null || clientId === null) return reply.code(400).send({ error: 'invalid_request' });
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, assertionKey, { algorithms: ['RS256'] }));
    } catch {
      return reply.code(400).send({ error: 'invalid_token' });
    }
    const iat = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({
      type: 'access_token',
      client_id: clientId,
      org: payload.iss,
      scope: 'openid',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 86_400)
      .setSubject(payload.sub ?? '')
      .setJti(randomUUID())
      .sign(privateKey);
    return { token_type: 'bearer', access_token: accessToken, expires_in: 86_399_996 };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, info: {}, close: () => app.close() };
});
