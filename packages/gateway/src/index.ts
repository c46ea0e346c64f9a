export { partnerGateway, type PartnerIdentity } from './partner-gateway.js';
export { startGateway, type RunningGateway, type StartGatewayOptions } from './start-gateway.js';
export type {
  Clock,
  FetchLike,
  GatewayLogger,
  PartnerGatewayOptions,
  RateLimitOptions,
  Upstream,
} from './gateway-options.js';
export { sampleUpstream } from './sample-upstream/sample-upstream.js';
export { CustomerStore, type Customer } from './sample-upstream/customer-store.js';
export {
  CLIENT_HEADER,
  ORG_HEADER,
  REQUEST_ID_HEADER,
  TECHNICAL_ACCOUNT_HEADER,
} from './proxy/identity-headers.js';
export { OPEN_PATHS } from './auth/open-paths.js';
export { genPartnerRequestId } from './http/request-id.js';
