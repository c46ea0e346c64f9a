/**
 * A task started at a fixed rate with bounded concurrency: every 10 ms, as many starts as the schedule owes while
 * fewer than `maxInFlight` run. A server that falls behind is not flooded afterwards: starts more than one second
 * late are dropped (and counted), so an overloaded run shows as a lower achieved rate, not as a burst.
 */
export class FixedRate {
  /** Tasks started. */
  started = 0;
  /** Scheduled starts dropped for being more than a second late. */
  dropped = 0;
  #slots = 0;
  #inFlight = 0;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #drained: (() => void) | undefined;

  /** `task` records its own outcome and never rejects. */
  constructor(
    readonly rate: number,
    readonly maxInFlight: number,
    private readonly task: () => Promise<void>,
  ) {}

  start(): void {
    this.#startedAt = performance.now();
    this.#timer = setInterval(() => this.#tick(), 10);
  }

  /** Stops starting tasks; resolves once the running ones have finished. */
  stop(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  #tick(): void {
    const due = Math.floor(((performance.now() - this.#startedAt) / 1000) * this.rate);
    const late = due - this.#slots - Math.ceil(this.rate);
    if (late > 0) {
      this.dropped += late;
      this.#slots += late;
    }
    while (this.#slots < due && this.#inFlight < this.maxInFlight) {
      this.#slots++;
      this.started++;
      this.#inFlight++;
      void this.task().finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0) this.#drained?.();
      });
    }
  }
}
