/**
 * Child process: our gateway (`startGateway`, in-process sample upstream) in front of the real IMS at
 * `PIMS_BENCH_IMS_URL` (its keys, its revocation feed, its tokens' issuer), with a fresh temporary data directory for
 * the last-known-good key set. The per-client rate limit is off (one client sends everything); every other check
 * runs as in production.
 */
import { startGateway } from '@pims/gateway';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveChild } from '../lib/child.js';

serveChild(async () => {
  const imsUrl = process.env.PIMS_BENCH_IMS_URL ?? '';
  const dataDir = mkdtempSync(join(tmpdir(), 'pims-soak-gateway-'));
  try {
    const gateway = await startGateway({ imsUrl, issuer: imsUrl, rateLimit: false, dataDir });
    return {
      url: gateway.url,
      info: {},
      async close() {
        await gateway.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
});
