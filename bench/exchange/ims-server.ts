/**
 * Child process: our IMS (`startServer` through the test kit's harness) on SQLite in a fresh data directory, the demo
 * credential seeded, rate limits raised for the bench. Reports the credential and its private key to the bench.
 */
import { startImsHarness } from '@pims/testkit';
import { serveChild } from '../lib/child.js';

export interface ImsInfo {
  clientId: string;
  clientSecret: string;
  orgId: string;
  technicalAccountId: string;
  metaScopes: string[];
  privateKeyPem: string;
}

serveChild<ImsInfo>(async () => {
  const ims = await startImsHarness({
    env: {
      PIMS_RATE_LIMIT_CLIENT: process.env.PIMS_RATE_LIMIT_CLIENT ?? '1000000',
      PIMS_RATE_LIMIT_ADDRESS: process.env.PIMS_RATE_LIMIT_ADDRESS ?? '1000000',
    },
  });
  const c = ims.credentials;
  return {
    url: ims.url,
    info: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      orgId: c.orgId,
      technicalAccountId: c.technicalAccountId,
      metaScopes: c.metaScopes,
      privateKeyPem: ims.privateKeyPem,
    },
    close: () => ims.stop(),
  };
});
