/**
 * Rate limiting for the token endpoints (SECURITY EX-8): checked per client id and per source address before any
 * RSA work. Two implementations: in memory (one instance) and Redis (shared by every instance, `PIMS_REDIS_URL`).
 */
import type { RateLimitRule } from '../ims-settings.js';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request for `key` under `rule` and says whether it may go on. */
  hit(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  close?(): Promise<void>;
}
