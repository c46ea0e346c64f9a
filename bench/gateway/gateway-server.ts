/**
 * Child process: our gateway (`startGateway`) with the in-process sample upstream, reading its keys and revocations
 * from the IMS stand-in at `PIMS_BENCH_IMS_URL`. The per-client rate limit is off for the bench (one client sends
 * everything); every other check runs as in production.
 */
import { startGateway } from '@pims/gateway';
import { serveChild } from '../lib/child.js';

serveChild(async () => {
  const gateway = await startGateway({ imsUrl: process.env.PIMS_BENCH_IMS_URL ?? '', rateLimit: false });
  return { url: gateway.url, info: {}, close: () => gateway.close() };
});
