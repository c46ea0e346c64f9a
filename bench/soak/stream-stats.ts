/** Outcome counters and a latency histogram (microseconds) of one request stream of the soak. */
import { createHistogram } from 'node:perf_hooks';
import type { FixedRate } from './fixed-rate.js';
import type { StreamResult } from './soak-protocol.js';

export class StreamStats {
  ok = 0;
  non2xx = 0;
  errors = 0;
  readonly statusCodes: Record<string, number> = {};
  firstFailure: string | undefined;
  readonly #latency = createHistogram();

  /** Records one answer (`status`) or a failed request (`status` undefined), timed from `startedAt` (ms). */
  record(status: number | undefined, startedAt: number, failure?: string): void {
    this.#latency.record(Math.max(1, Math.round((performance.now() - startedAt) * 1000)));
    if (status !== undefined) this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    if (status !== undefined && status >= 200 && status < 300 && failure === undefined) {
      this.ok++;
      return;
    }
    if (status === undefined) this.errors++;
    else this.non2xx++;
    this.firstFailure ??= `${status === undefined ? 'error' : `HTTP ${status}`}: ${(failure ?? '').slice(0, 200)}`;
  }

  get failures(): number {
    return this.non2xx + this.errors;
  }

  result(driver: FixedRate, seconds: number): StreamResult {
    const count = this.#latency.count;
    return {
      rate: driver.rate,
      seconds,
      requests: driver.started,
      dropped: driver.dropped,
      ok: this.ok,
      non2xx: this.non2xx,
      errors: this.errors,
      statusCodes: this.statusCodes,
      firstFailure: this.firstFailure,
      p50: count === 0 ? 0 : this.#latency.percentile(50) / 1000,
      p99: count === 0 ? 0 : this.#latency.percentile(99) / 1000,
      max: count === 0 ? 0 : this.#latency.max / 1000,
    };
  }
}
