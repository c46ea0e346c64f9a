/**
 * rotating the signing key (stage → activate → prune) fails no valid token. Two IMS instances share one database;
 * a gateway-like verifier works from JWKS snapshots it fetched earlier, as a gateway with a cached key set does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { createSigningKeyRing, type SigningKeyRing } from '../signing-keys/signing-key-ring.js';
import {
  TEST_KEK,
  fakeClock,
  recordingLogger,
  sqliteTestDatabase,
  testConfig,
} from '../signing-keys/test-support.js';
import { createTokenIssuer } from './token-issuer.js';
import { createTokenVerifier } from './token-verifier.js';
import type { IssuedToken, PublishedKeys } from './token-types.js';

test('no valid token fails at any step of a rotation, on the IMS or on a gateway with a cached key set', async () => {
  const database = sqliteTestDatabase();
  try {
    const clock = fakeClock();
    const ring = async () =>
      createSigningKeyRing({
        storage: await database.open(),
        kek: TEST_KEK,
        clock,
        config: testConfig,
        logger: recordingLogger(),
      });
    const instanceA: SigningKeyRing = await ring(); // runs `pims key rotate`
    const instanceB: SigningKeyRing = await ring(); // another server, refreshing on its own schedule
    await instanceA.init();
    await instanceB.init();

    const input = {
      clientId: 'c',
      orgId: 'O@AdobeOrg',
      technicalAccountId: 'T@techacct.adobe.com',
      scopes: ['s'],
    };
    const issue = (instance: SigningKeyRing) =>
      createTokenIssuer({ keyRing: instance, clock, config: testConfig }).issue(input);
    /** What a gateway has after fetching `/ims/keys` now. */
    const gatewaySnapshot = (): PublishedKeys => {
      const jwks = structuredClone(instanceA.jwks());
      return { jwks: () => jwks, certificatePem: () => undefined };
    };
    const verifiers = () => ({
      imsA: createTokenVerifier({ keys: instanceA, clock, config: testConfig }),
      imsB: createTokenVerifier({ keys: instanceB, clock, config: testConfig }),
    });

    const tokens: IssuedToken[] = [];
    const gateways: Array<{ step: string; keys: PublishedKeys }> = [];
    async function allStillValid(step: string): Promise<void> {
      const live = tokens.filter((token) => token.expiresAt + testConfig.clockSkew * 1000 > clock());
      const checks = { ...verifiers() } as Record<string, ReturnType<typeof createTokenVerifier>>;
      for (const gateway of gateways) {
        checks[`gateway@${gateway.step}`] = createTokenVerifier({
          keys: gateway.keys,
          clock,
          config: testConfig,
        });
      }
      for (const token of live) {
        const kid = decodeProtectedHeader(token.accessToken).kid;
        for (const [name, verifier] of Object.entries(checks)) {
          // A gateway can only know keys published when it fetched; it must know every key that signs.
          const verdict = await verifier.verify(token.accessToken);
          assert.equal(
            verdict.valid,
            true,
            `${step}: token by ${kid} on ${name}: ${JSON.stringify(verdict)}`,
          );
        }
      }
    }

    const first = instanceA.activeSigner().kid;
    tokens.push(await issue(instanceA), await issue(instanceB));
    gateways.push({ step: 'start', keys: gatewaySnapshot() });
    await allStillValid('start');

    // Step 1: stage. The next key is published but signs nothing yet.
    clock.advance(60_000);
    const staged = await instanceA.rotate();
    assert.equal(staged.step, 'staged');
    await instanceB.refresh();
    tokens.push(await issue(instanceA), await issue(instanceB));
    assert.deepEqual(
      tokens.map((token) => decodeProtectedHeader(token.accessToken).kid),
      [first, first, first, first],
    );
    await allStillValid('staged');
    // The gateway refreshes its key set (at least one refresh interval before activation); the start snapshot is
    // dropped, as a gateway replaces its cached set.
    gateways.splice(0, gateways.length, { step: 'staged', keys: gatewaySnapshot() });

    // Step 2: activate. Instance B has not refreshed yet and still signs with the old key.
    clock.advance(300_000);
    const activated = await instanceA.rotate();
    assert.equal(activated.step, 'activated');
    tokens.push(await issue(instanceA));
    clock.advance(29_000); // B signs with the old key until its next refresh, up to one interval later
    tokens.push(await issue(instanceB));
    assert.equal(decodeProtectedHeader(tokens.at(-2)!.accessToken).kid, staged.kid);
    assert.equal(decodeProtectedHeader(tokens.at(-1)!.accessToken).kid, first);
    await allStillValid('activated, B not refreshed');

    // B refreshes within its interval and switches.
    clock.advance(1_000);
    await instanceB.refresh();
    tokens.push(await issue(instanceB));
    assert.equal(decodeProtectedHeader(tokens.at(-1)!.accessToken).kid, staged.kid);
    await allStillValid('activated, B refreshed');
    gateways.splice(0, gateways.length, { step: 'activated', keys: gatewaySnapshot() });

    // Step 3: prune. Too early it removes nothing; once the old key's last token has expired it removes it.
    assert.deepEqual(await instanceA.prune(), { removed: [] });
    await allStillValid('early prune');
    const removeAfter = activated.step === 'activated' ? activated.retired[0]!.removeAfter : 0;
    const lastOldToken = Math.max(
      ...tokens
        .filter((token) => decodeProtectedHeader(token.accessToken).kid === first)
        .map((token) => token.expiresAt),
    );
    assert.ok(
      lastOldToken + testConfig.clockSkew * 1000 <= removeAfter,
      'no token of the old key outlives it',
    );

    clock.advance(removeAfter - clock() - 3_600_000);
    tokens.push(await issue(instanceA), await issue(instanceB));
    clock.advance(3_600_000 - 1);
    await allStillValid('just before removeAfter');
    clock.advance(1);
    assert.deepEqual(await instanceA.prune(), { removed: [first] });
    await instanceB.refresh();
    gateways.splice(0, gateways.length, { step: 'pruned', keys: gatewaySnapshot() });
    await allStillValid('pruned');
    const live = tokens.filter((token) => token.expiresAt > clock());
    assert.equal(live.length, 2, 'the tokens issued an hour ago are still live and were checked');
    assert.ok(live.every((token) => decodeProtectedHeader(token.accessToken).kid === staged.kid));
  } finally {
    await database.cleanup();
  }
});
