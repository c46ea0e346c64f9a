/** Soak settings from the environment; the run is bounded in time whatever they say. */
import { numberFromEnv } from '../lib/settings.js';

export interface SoakSettings {
  /** Minutes of load (`PIMS_SOAK_MINUTES`, default 10; fractions allowed). */
  minutes: number;
  /** JWT exchanges per second, each with a fresh assertion (`PIMS_SOAK_EXCHANGE_RATE`, default 200). */
  exchangeRate: number;
  /** Gateway requests per second (`PIMS_SOAK_GATEWAY_RATE`, default 1000). */
  gatewayRate: number;
  /** Seconds between memory samples: 10, shorter for runs under 5 minutes (at least 30 samples per run). */
  sampleSeconds: number;
  /** Do not rewrite docs/benchmarks.md (`PIMS_BENCH_NO_DOC=1`). */
  writeDoc: boolean;
}

export function soakSettings(): SoakSettings {
  const minutes = numberFromEnv('PIMS_SOAK_MINUTES', 10, 0.1, 120);
  return {
    minutes,
    exchangeRate: numberFromEnv('PIMS_SOAK_EXCHANGE_RATE', 200, 1, 5000),
    gatewayRate: numberFromEnv('PIMS_SOAK_GATEWAY_RATE', 1000, 1, 20_000),
    sampleSeconds: Math.min(10, Math.max(1, Math.round((minutes * 60) / 30))),
    writeDoc: process.env.PIMS_BENCH_NO_DOC !== '1',
  };
}
