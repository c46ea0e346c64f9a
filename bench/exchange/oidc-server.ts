/**
 * Child process: oidc-provider 8.8.1 as the reference authorization server — `client_credentials` with
 * `private_key_jwt` client authentication (RS256, the client's public key `PIMS_BENCH_ASSERTION_KEY`), RS256 JWT access
 * tokens for one resource server (`features.resourceIndicators`, `accessTokenFormat: 'jwt'`).
 */
import Provider from 'oidc-provider';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveChild } from '../lib/child.js';

export interface OidcInfo {
  clientId: string;
  tokenEndpoint: string;
  resource: string;
  scope: string;
}

const CLIENT_ID = 'bench-client';
const RESOURCE = 'https://api.partner.example';
const SCOPE = 'api:read';

serveChild<OidcInfo>(async () => {
  const clientJwk = {
    ...createPublicKey(process.env.PIMS_BENCH_ASSERTION_KEY ?? '').export({ format: 'jwk' }),
    alg: 'RS256',
    use: 'sig',
  };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };

  // The issuer must be known before listening: take the port first.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [clientJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    clientAuthMethods: ['private_key_jwt'],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['pims-bench-cookie-key'] },
    scopes: [SCOPE],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPE,
          audience: RESOURCE,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  return {
    url: issuer,
    info: { clientId: CLIENT_ID, tokenEndpoint: `${issuer}/token`, resource: RESOURCE, scope: SCOPE },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
