/** Samples the memory of each server every `intervalSeconds` from `start()` until `stop()`, which takes a last one. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningChild } from '../lib/child.js';
import { sampleMemory, type MemorySample } from './memory-trend.js';

export interface SampledServer {
  name: string;
  child: RunningChild<unknown>;
  samples: MemorySample[];
}

export class MemorySampler {
  #startedAt = 0;
  #loop: Promise<void> | undefined;
  readonly #stop = new AbortController();

  /** `report` is called after each round of samples (for a progress line). */
  constructor(
    readonly servers: readonly SampledServer[],
    private readonly intervalSeconds: number,
    private readonly report: (t: number) => void,
  ) {}

  /** Seconds since `start()`. */
  elapsed(): number {
    return (performance.now() - this.#startedAt) / 1000;
  }

  start(): void {
    this.#startedAt = performance.now();
    this.#loop = this.#run();
  }

  /** Stops the schedule and takes the last samples (when started); returns their time, seconds since `start()`. */
  async stop(): Promise<number> {
    this.#stop.abort();
    if (this.#loop === undefined) return 0;
    await this.#loop;
    return this.#sampleAll();
  }

  async #run(): Promise<void> {
    for (let round = 0; !this.#stop.signal.aborted; round++) {
      await this.#sampleAll();
      const wait = (round + 1) * this.intervalSeconds * 1000 - (performance.now() - this.#startedAt);
      try {
        await sleep(Math.max(0, wait), undefined, { signal: this.#stop.signal });
      } catch {
        return; // stopped
      }
    }
  }

  async #sampleAll(): Promise<number> {
    const t = this.elapsed();
    // One server after the other: each sample runs a full GC in that server.
    for (const server of this.servers) server.samples.push(await sampleMemory(server.child, t));
    this.report(t);
    return t;
  }
}
