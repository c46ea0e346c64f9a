/** The contract between the bench orchestrators and the load-generator child process. */

export interface LoadRequest {
  /** Base URL of the server under test, e.g. `http://127.0.0.1:40123`. */
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A fixed body (when no pool provides one). */
  body?: string;
  connections: number;
  /** Seconds of load (the run ends earlier when its pool runs out). */
  seconds: number;
  /**
   * A newline-separated file; each line is used once, as the whole request `body` or as a `bearer` token sent as
   * `Authorization: Bearer <line>`. The run stops before a line would be used twice.
   */
  pool?: { file: string; as: 'body' | 'bearer' };
  /** Which load generator runs it (default autocannon). */
  generator?: 'wrk' | 'autocannon';
}

export interface LoadResult {
  requests: number;
  /** Measured seconds (shorter than asked when the pool ran out). */
  seconds: number;
  reqPerSec: number;
  /** Latency percentiles in milliseconds (from a microsecond histogram). */
  p50: number;
  p99: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** The pool ran out before the time was up. */
  poolExhausted: boolean;
  /** When the measured run ran, µs of the monotonic clock (`process.hrtime`), which CPU profiles also use. */
  window?: [number, number];
  /** CPU time of the server process (all threads) per request during the measured run, µs (Linux only). */
  serverCpuUs?: number;
  /** The same for its main thread (the event loop) alone. */
  mainThreadCpuUs?: number;
  /** CPU time of the load generator per request, µs: it shares the machine with the server. */
  loaderCpuUs?: number;
}
