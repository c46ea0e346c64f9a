import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { resolveGatewayOptions, type FetchLike, type GatewayLogger } from '../gateway-options.js';
import {
  countingFetch,
  createTestSigningKey,
  manualClock,
  startFakeIms,
  type FakeIms,
  type ManualClock,
} from '../testing/index.js';
import { createRevocationPoller } from './revocation-poller.js';

const root = mkdtempSync(join(tmpdir(), 'pims-revocation-poller-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `data-${++n}`);
const stateFile = (dataDir: string) => join(dataDir, 'gateway', 'ims-revocations.json');

const silent: GatewayLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;

/** A fetch that also records how many entries each feed response carried: the work a poll causes. */
function recordingFetch() {
  const served: number[] = [];
  const inner: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const body = (await response.json()) as { revocations: unknown[] };
    served.push(body.revocations.length);
    return { ok: response.ok, status: response.status, json: () => Promise.resolve(body) };
  };
  return { ...countingFetch(inner), served };
}

function pollerUnderTest(
  ims: FakeIms,
  options: { overlap?: number; dataDir?: string; clock?: ManualClock; fetch?: FetchLike } = {},
) {
  const recording = recordingFetch();
  const clock = options.clock ?? manualClock();
  const poller = createRevocationPoller({
    options: {
      imsUrl: ims.url,
      dataDir: options.dataDir,
      revocationPollMs: 60_000,
      revocationOverlap: options.overlap ?? 256,
      imsTimeoutMs: 2000,
      fetch: options.fetch ?? recording.fetch,
      clock,
    },
    logger: silent,
  });
  /** The `since` of each feed request, in order. */
  const sinces = () =>
    recording.urls.map((url) => {
      const query = new URL(url).searchParams;
      assert.equal(query.get('limit'), '1000');
      return Number(query.get('since'));
    });
  const revoked = (jti: string) =>
    poller.list.isRevoked({ jti, clientId: 'client-a', orgId: 'org-a', createdAt: clock.now() }, clock.now());
  return { poller, clock, recording, sinces, revoked };
}

describe('revocation feed overlap (decision 0003)', () => {
  let ims: FakeIms;
  let now: number;
  const revoke = (jti: string, options: { uncommitted?: boolean; expiresAt?: number } = {}) =>
    ims.revoke('token', jti, { expiresAt: now + HOUR, createdAt: now, ...options });

  beforeEach(async () => {
    ims = await startFakeIms([createTestSigningKey('key-1')]);
    now = Date.now();
  });
  afterEach(() => ims.stop());

  test('seqs 1 and 3 read, 2 committed afterwards: the next poll learns 2', async () => {
    const { poller, sinces, revoked } = pollerUnderTest(ims);
    revoke('t1');
    const late = revoke('t2', { uncommitted: true }); // its transaction is still open
    revoke('t3');
    assert.equal(await poller.poll(), true);
    assert.deepEqual([revoked('t1'), revoked('t2'), revoked('t3')], [true, false, true]);

    ims.commit(late);
    assert.equal(await poller.poll(), true);
    assert.equal(revoked('t2'), true);
    assert.deepEqual(sinces(), [0, 0]); // the second poll started below its cursor (3), at max(0, 3 - 256)
    assert.equal(poller.list.size, 3);
  });

  test('without the overlap the same late commit is never learnt (the gap it closes)', async () => {
    const { poller, sinces, revoked } = pollerUnderTest(ims, { overlap: 0 });
    revoke('t1');
    const late = revoke('t2', { uncommitted: true });
    revoke('t3');
    await poller.poll();
    ims.commit(late);
    await poller.poll();
    await poller.poll();
    assert.equal(revoked('t2'), false);
    assert.deepEqual(sinces(), [0, 3, 3]);
  });

  test('the remaining bound: learnt while the cursor is less than `overlap` seqs past it, missed beyond', async () => {
    const cases = [
      { overlap: 7, learnt: true }, // cursor 7 - 7 = 0 < seq 1
      { overlap: 6, learnt: false }, // cursor 7 - 6 = 1: seq 1 lies below the window
    ];
    const late = revoke('late', { uncommitted: true });
    for (let i = 0; i < 6; i++) revoke(`later-${i}`);
    const pollers = cases.map(({ overlap }) => pollerUnderTest(ims, { overlap }));
    for (const { poller } of pollers) await poller.poll();
    ims.commit(late);
    for (const [i, { poller, revoked }] of pollers.entries()) {
      await poller.poll();
      assert.equal(revoked('late'), cases[i]?.learnt, `overlap ${cases[i]?.overlap}`);
    }
  });

  test('a quiet poll is one request for at most `overlap` entries; reading them again changes and writes nothing', async () => {
    const dataDir = freshDir();
    const { poller, recording, sinces } = pollerUnderTest(ims, { dataDir, overlap: 256 });
    for (let i = 1; i <= 600; i++) revoke(`t${i}`);
    await poller.poll();
    assert.equal(poller.list.size, 600);
    assert.deepEqual(sinces(), [0]);

    rmSync(stateFile(dataDir));
    for (let i = 0; i < 5; i++) await poller.poll();
    assert.deepEqual(sinces(), [0, 344, 344, 344, 344, 344]); // 600 - 256, one request per poll
    assert.deepEqual(recording.served, [600, 256, 256, 256, 256, 256]);
    assert.equal(poller.list.size, 600);
    assert.equal(existsSync(stateFile(dataDir)), false, 'nothing changed, nothing written');

    revoke('t601');
    await poller.poll();
    const saved = JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as { cursor: number; revocations: [] };
    assert.equal(saved.cursor, 601);
    assert.equal(saved.revocations.length, 601);
  });

  test('a long feed is followed page by page once; later polls re-read only the window', async () => {
    const { poller, sinces, recording } = pollerUnderTest(ims, { overlap: 256 });
    for (let i = 1; i <= 2500; i++) revoke(`t${i}`);
    await poller.poll();
    assert.deepEqual(sinces(), [0, 1000, 2000]); // a page shorter than the limit ends the feed
    assert.equal(poller.list.size, 2500);
    await poller.poll();
    assert.deepEqual(sinces().slice(3), [2244]);
    assert.deepEqual(recording.served, [1000, 1000, 500, 256]);
  });

  test('entries leave the set when they expire, though the window serves them again', async () => {
    const dataDir = freshDir();
    const { poller, clock, revoked } = pollerUnderTest(ims, { dataDir });
    clock.set(now);
    revoke('short', { expiresAt: now + 1000 });
    revoke('long');
    await poller.poll();
    assert.equal(poller.list.size, 2);

    clock.advance(2000);
    await poller.poll(); // the fake IMS still serves `short`: it must not come back
    assert.equal(poller.list.size, 1);
    assert.equal(revoked('short'), false);
    assert.equal(revoked('long'), true);
    const saved = JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as {
      revocations: { subject: string }[];
    };
    assert.deepEqual(
      saved.revocations.map((r) => r.subject),
      ['long'],
    );
    rmSync(stateFile(dataDir));
    await poller.poll();
    assert.equal(existsSync(stateFile(dataDir)), false, 'an expired entry served again is not news');
  });

  test('restarted, the gateway starts from the persisted cursor minus the overlap and learns a late commit', async () => {
    const dataDir = freshDir();
    revoke('t1');
    const late = revoke('t2', { uncommitted: true });
    revoke('t3');
    const first = pollerUnderTest(ims, { dataDir, overlap: 2 });
    await first.poller.poll();
    assert.equal(first.revoked('t2'), false);

    ims.commit(late); // while no gateway is running
    const second = pollerUnderTest(ims, { dataDir, overlap: 2 });
    await second.poller.start();
    await second.poller.stop();
    assert.deepEqual(second.sinces(), [1]); // persisted cursor 3, minus 2
    assert.equal(second.revoked('t2'), true);
    assert.equal(second.poller.list.size, 3);
  });

  test('the cursor never moves back when the window comes back empty (entries cleaned up at the IMS)', async () => {
    const dataDir = freshDir();
    const bodies = [
      {
        revocations: [1, 3].map((seq) => ({
          seq,
          kind: 'token',
          subject: `t${seq}`,
          expires_at: now + HOUR,
        })),
        cursor: 3,
      },
      { revocations: [], cursor: 2 }, // `since` echoed back: nothing above it any more
      { revocations: [], cursor: 2 },
    ];
    const scripted = countingFetch(() => {
      const body = bodies.shift();
      return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(body) });
    });
    const { poller, revoked } = pollerUnderTest(ims, { dataDir, overlap: 1, fetch: scripted.fetch });
    for (let i = 0; i < 3; i++) await poller.poll();
    assert.deepEqual(
      scripted.urls.map((url) => new URL(url).searchParams.get('since')),
      ['0', '2', '2'],
    );
    assert.equal(revoked('t1'), true);
    const saved = JSON.parse(readFileSync(stateFile(dataDir), 'utf8')) as { cursor: number };
    assert.equal(saved.cursor, 3);
  });
});

describe('revocationOverlap option', () => {
  test('defaults to 256 and accepts 0 to 1000 (one feed page)', () => {
    assert.equal(resolveGatewayOptions({ imsUrl: 'http://ims' }).revocationOverlap, 256);
    assert.equal(resolveGatewayOptions({ imsUrl: 'http://ims', revocationOverlap: 0 }).revocationOverlap, 0);
    assert.equal(
      resolveGatewayOptions({ imsUrl: 'http://ims', revocationOverlap: 1000 }).revocationOverlap,
      1000,
    );
    for (const bad of [-1, 1001, 2.5, Number.NaN])
      assert.throws(
        () => resolveGatewayOptions({ imsUrl: 'http://ims', revocationOverlap: bad }),
        RangeError,
      );
  });
});
