import { AbortedError } from './errors.js';

/**
 * Time as the SDK sees it; inject a fake one in tests instead of sleeping.
 *
 * @example
 * ```ts
 * let now = 0;
 * const fake: Clock = { now: () => now, sleep: async (ms) => { now += ms; } };
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with {@link AbortedError} when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * await systemClock.sleep(100);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AbortedError(undefined, signal.reason));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortedError(undefined, signal?.reason));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
