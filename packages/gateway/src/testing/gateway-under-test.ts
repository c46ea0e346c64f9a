/**
 * A gateway wired to a fake IMS, for tests: one Fastify instance (use `inject()`), a signing key the fake IMS
 * publishes, a counting fetch and a manual clock, and `token()` to mint valid access tokens.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { PartnerGatewayOptions } from '../gateway-options.js';
import { partnerGateway } from '../partner-gateway.js';
import { sampleUpstream } from '../sample-upstream/sample-upstream.js';
import { countingFetch, type CountingFetch } from './counting-fetch.js';
import { startFakeIms, type FakeIms } from './fake-ims.js';
import {
  createTestSigningKey,
  mintAccessToken,
  type TestSigningKey,
  type TestTokenInput,
} from './ims-keys.js';
import { manualClock, type ManualClock } from './manual-clock.js';

export interface GatewayUnderTestOptions extends Partial<
  Omit<PartnerGatewayOptions, 'imsUrl' | 'fetch' | 'clock'>
> {
  /** Reuse a running fake IMS (and its keys). */
  ims?: FakeIms;
  key?: TestSigningKey;
  clock?: ManualClock;
}

export interface GatewayUnderTest {
  app: FastifyInstance;
  ims: FakeIms;
  key: TestSigningKey;
  fetch: CountingFetch;
  clock: ManualClock;
  /** A valid token for `clientId` of `orgId` (defaults: client-a of org-a), issued now by the fake IMS's key. */
  token(input?: Partial<TestTokenInput>, key?: TestSigningKey): Promise<string>;
  close(): Promise<void>;
}

export async function gatewayUnderTest(options: GatewayUnderTestOptions = {}): Promise<GatewayUnderTest> {
  const key = options.key ?? createTestSigningKey('key-1');
  const ims = options.ims ?? (await startFakeIms([key]));
  const clock = options.clock ?? manualClock();
  const fetch = countingFetch();
  const app = Fastify({ logger: false });
  const { ims: _ims, key: _key, clock: _clock, ...gatewayOptions } = options;
  await app.register(partnerGateway, {
    upstream: sampleUpstream(),
    ...gatewayOptions,
    imsUrl: ims.url,
    fetch: fetch.fetch,
    clock,
  });
  await app.ready();
  return {
    app,
    ims,
    key,
    fetch,
    clock,
    token: (input = {}, signWith = key) =>
      mintAccessToken(signWith, {
        issuer: ims.url,
        clientId: 'client-a',
        orgId: 'org-a@AdobeOrg',
        iat: Math.floor(clock.now() / 1000),
        ...input,
      }),
    async close() {
      await app.close();
      if (options.ims === undefined) await ims.stop();
    },
  };
}
