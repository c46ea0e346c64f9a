/**
 * EX-8 on `/ims/invalidate_token/v2`: it checks a client secret, so it is rate limited like the token endpoints,
 * before the secret is looked at — a guesser gets 429, not another answer about the secret.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPimsError } from '@pims/contracts';
import { createImsServices, type ImsServices } from '../ims-services.js';
import {
  createImsFixture,
  verifySecret,
  type ImsFixture,
  type SeededClient,
} from '../test-support/ims-fixture.js';

let fx: ImsFixture;
let services: ImsServices;
let client: SeededClient;

before(async () => {
  fx = await createImsFixture({
    rateLimits: { perClient: { limit: 3, windowMs: 60_000 }, perAddress: { limit: 100, windowMs: 60_000 } },
  });
  services = createImsServices({ ...fx, stores: fx.storage, verifySecret, clock: fx.clock });
  client = await fx.seedClient();
});
after(async () => {
  await services.close();
  await fx.close();
});

test('wrong secrets are refused until the per-client limit, then 429 with Retry-After, and nothing is revoked', async () => {
  const guess = (secret: string) =>
    services.invalidateToken(
      { clientId: client.credential.clientId, clientSecret: secret, cascading: true },
      { ip: '192.0.2.7', requestId: 'r' },
    );
  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      guess(`p8e-wrong-${i}`),
      (err: unknown) => isPimsError(err) && err.code === 'ims.invalid_client_secret',
    );
  }
  await assert.rejects(guess(client.clientSecret), (err: unknown) => {
    assert.ok(isPimsError(err));
    assert.equal(err.code, 'ims.rate_limited');
    assert.ok((err.retryAfterSeconds ?? 0) > 0);
    return true;
  });
  const revocations = await fx.storage.revocations.listRevocationsSince(0, fx.clock.now(), 100);
  assert.deepEqual(revocations, [], 'the right secret past the limit revoked nothing');
});
