/**
 * Gateway test fixtures for other packages' tests and benchmarks: IMS-shaped signing keys and access tokens (jose),
 * forgeries, a fake IMS (JWKS + revocation feed on 127.0.0.1, port 0), a counting fetch, a manual clock, and a gateway
 * wired to all of them. They live in `@pims/gateway/testing` (the gateway's own tests use them) and are re-exported here.
 */
export * from '@pims/gateway/testing';
