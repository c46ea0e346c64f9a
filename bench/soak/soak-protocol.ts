/** The contract between the soak orchestrator (run.ts) and its load-generator child (soak-load.ts). */
import type { ImsInfo } from '../exchange/ims-server.js';

export interface SoakPlan {
  imsUrl: string;
  gatewayUrl: string;
  /** The demo credential of the IMS under test (its private key signs the assertions). */
  credential: ImsInfo;
  seconds: number;
  exchangeRate: number;
  gatewayRate: number;
  /** Seconds between progress messages. */
  progressSeconds: number;
}

/** One request stream (exchanges, or gateway calls) over the whole run. */
export interface StreamResult {
  /** Asked starts per second. */
  rate: number;
  /** Seconds from the first scheduled start to the last answer. */
  seconds: number;
  /** Requests sent (answered or failed). */
  requests: number;
  /** Scheduled starts dropped because `maxInFlight` requests were already waiting for more than a second. */
  dropped: number;
  ok: number;
  /** Answers with a status other than 2xx (or a 2xx the load could not use, e.g. an exchange without a token). */
  non2xx: number;
  /** Connection errors and timeouts (10 s). */
  errors: number;
  statusCodes: Record<string, number>;
  /** The first failure, for the report (status and the start of the body, or the error). */
  firstFailure: string | undefined;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  max: number;
}

export interface SoakLoadResult {
  exchange: StreamResult;
  gateway: StreamResult & {
    /** Gateway requests that carried a token from a run exchange, sent once (a first sight for the gateway). */
    freshTokens: number;
    /** Exchange tokens left unused because the queue of fresh tokens was full. */
    freshDropped: number;
  };
}

export interface SoakProgress {
  exchangeOk: number;
  gatewayOk: number;
  failures: number;
}

export type SoakLoadMessage =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'progress'; progress: SoakProgress }
  | { type: 'result'; result: SoakLoadResult }
  | { type: 'error'; message: string };
