import type { Clock } from './clock.js';
import { ImsError, NetworkError, TimeoutError } from './errors.js';

/**
 * When and how long to retry. Delays use exponential backoff with full jitter:
 * `random() × min(maxDelayMs, baseDelayMs × 2^attempt)`; a `Retry-After` answer is honoured up to `maxRetryAfterMs`.
 *
 * @example
 * ```ts
 * createPartnerClient({ environment: 'sandbox', credentials, retry: { retries: 5, maxDelayMs: 2_000 } });
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. Default 3. */
  retries: number;
  /** Default 200 ms. */
  baseDelayMs: number;
  /** Cap of one backoff delay; default 5 s. */
  maxDelayMs: number;
  /** Cap of a server's `Retry-After`; default 30 s. A longer one fails at once instead of waiting. */
  maxRetryAfterMs: number;
}

/**
 * The default {@link RetryPolicy}.
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_RETRY_POLICY, retries: 1 };
 * ```
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
});

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`.
 *
 * @example
 * ```ts
 * parseRetryAfter('2', Date.now()); // 2000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The full-jitter backoff delay before retry number `attempt` (0-based).
 *
 * @example
 * ```ts
 * backoffDelay(2, DEFAULT_RETRY_POLICY, () => 1); // 800
 * ```
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/**
 * Whether an error is worth another attempt: network errors, timeouts, IMS 5xx and 429. Never a 4xx.
 *
 * @example
 * ```ts
 * isRetryable(new NetworkError('ECONNRESET')); // true
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true;
  return error instanceof ImsError && (error.status >= 500 || error.status === 429);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out; sleeps on the injected clock.
 *
 * @example
 * ```ts
 * const token = await withRetry((n) => requestOnce(n), { policy: DEFAULT_RETRY_POLICY, clock: systemClock });
 * ```
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: { policy: RetryPolicy; clock: Clock; random?: () => number; signal?: AbortSignal | undefined },
): Promise<T> {
  for (let n = 0; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= options.policy.retries || !isRetryable(error)) throw error;
      const retryAfter = error instanceof ImsError ? error.retryAfterMs : undefined;
      if (retryAfter !== undefined && retryAfter > options.policy.maxRetryAfterMs) throw error;
      const delay = retryAfter ?? backoffDelay(n, options.policy, options.random);
      await options.clock.sleep(delay, options.signal);
    }
  }
}
