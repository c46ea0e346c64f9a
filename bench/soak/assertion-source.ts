/**
 * Fresh JWT assertions (unique `jti`) for the soak's exchanges, signed while the load runs, a chunk at a time on
 * libuv's thread pool, at most two chunks ahead: nothing is pre-signed for the whole run.
 */
export class AssertionSource {
  readonly #buffer: string[] = [];
  #refill: Promise<void> | undefined;
  #failure: Error | undefined;

  /** `sign(count)` signs `count` new assertions. */
  constructor(
    private readonly chunk: number,
    private readonly sign: (count: number) => Promise<string[]>,
  ) {}

  /** The oldest unused assertion (waits for a chunk being signed when none is left). */
  async next(): Promise<string> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#buffer.length < this.chunk) this.#startRefill();
      // First in, first out: taking the newest first would leave a chunk's oldest ones waiting until they expire.
      const assertion = this.#buffer.shift();
      if (assertion !== undefined) return assertion;
      await this.#refill;
    }
  }

  #startRefill(): void {
    if (this.#refill !== undefined) return;
    this.#refill = this.sign(this.chunk).then(
      (signed) => {
        this.#buffer.push(...signed);
        this.#refill = undefined;
      },
      (err: unknown) => {
        this.#failure = err instanceof Error ? err : new Error(String(err));
        this.#refill = undefined;
      },
    );
  }
}
