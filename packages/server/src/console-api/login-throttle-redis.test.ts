/**
 * Login throttling shared by every instance (SECURITY CON-7): with `PIMS_REDIS_URL`, two console instances count the
 * same attempts. Runs when `PIMS_TEST_REDIS_URL` is set (set but unreachable fails: logins answer 500, not 401).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestConsole, type TestConsole } from './test-support.js';

const redisUrl = process.env.PIMS_TEST_REDIS_URL;

void describe(
  'login throttling across instances (Redis)',
  { skip: redisUrl === undefined ? 'PIMS_TEST_REDIS_URL is not set' : false },
  () => {
    let one: TestConsole;
    let two: TestConsole;
    before(async () => {
      one = await createTestConsole({ redisUrl });
      two = await createTestConsole({ redisUrl });
    });
    after(async () => {
      await one.close();
      await two.close();
    });

    it('two instances share the per-account-and-address limit', async () => {
      // A fresh account name per run: the fake clocks of every run start at the same instant (same Redis window).
      const email = `victim-${randomBytes(6).toString('hex')}@x.example`;
      const address = `203.0.113.${1 + (randomBytes(1)[0]! % 250)}`;
      const attempt = (t: TestConsole, ip = address) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: ip,
          headers: { 'content-type': 'application/json', 'x-pims-csrf': '1' },
          payload: JSON.stringify({ email, password: 'wrong-password-here' }),
        });
      const codes: number[] = [];
      for (let i = 0; i < 10; i += 1) codes.push((await attempt(i % 2 === 0 ? one : two)).statusCode);
      assert.deepEqual(codes, Array<number>(10).fill(401));
      const limitedOne = await attempt(one);
      const limitedTwo = await attempt(two);
      assert.deepEqual(
        [limitedOne.statusCode, limitedTwo.statusCode],
        [429, 429],
        'the 11th attempt is refused on both',
      );
      assert.ok(Number(limitedTwo.headers['retry-after']) > 0);
      assert.equal(
        (await attempt(two, '198.51.100.77')).statusCode,
        401,
        'another address is not locked out',
      );
    });
  },
);
