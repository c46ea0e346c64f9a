/** Test helpers for the gateway: IMS-shaped keys and tokens, forgeries, a fake IMS, a counting fetch, a manual clock. */
export {
  accessTokenClaims,
  createTestSigningKey,
  hs256Token,
  mintAccessToken,
  unsignedToken,
  type TestSigningKey,
  type TestTokenInput,
} from './ims-keys.js';
export { startFakeIms, type FakeIms, type FakeRevocation } from './fake-ims.js';
export { countingFetch, type CountingFetch } from './counting-fetch.js';
export { manualClock, type ManualClock } from './manual-clock.js';
export {
  gatewayUnderTest,
  type GatewayUnderTest,
  type GatewayUnderTestOptions,
} from './gateway-under-test.js';
