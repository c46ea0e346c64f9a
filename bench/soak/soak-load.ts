/**
 * The soak's load generator, in a process of its own: JWT exchanges at the IMS, each with a fresh assertion (unique
 * `jti`, signed during the run), and gateway `GET /v3/customers` calls, both at fixed rates. Each exchange's access
 * token is queued and sent once to the gateway (a first sight: the verified-token cache keeps churning); the other
 * gateway calls repeat a few tokens got at the start. Every answer must be 2xx; failures are counted, not retried.
 */
import { createPrivateKey } from 'node:crypto';
import { Agent } from 'node:http';
import { RUN_ID, signJwts } from '../lib/pool.js';
import { AssertionSource } from './assertion-source.js';
import { FixedRate } from './fixed-rate.js';
import { httpCall } from './http-call.js';
import type { SoakLoadMessage, SoakLoadResult, SoakPlan } from './soak-protocol.js';
import { StreamStats } from './stream-stats.js';

const MAX_IN_FLIGHT = 64;
const REPEATED_TOKENS = 10;
/** Unused fresh tokens kept at most (a few seconds of exchanges); older ones wait, newer ones are dropped. */
const FRESH_QUEUE = 2000;
/** Assertions expire soon after they are used, so their replay rows are prunable. */
const ASSERTION_LIFETIME_SECONDS = 300;

const send = (message: SoakLoadMessage, then: () => void = () => undefined) => process.send?.(message, then);

class Failure extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(body.slice(0, 300));
  }
}

function accessTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

function soakTraffic(plan: SoakPlan) {
  const { credential } = plan;
  const key = createPrivateKey(credential.privateKeyPem);
  const ims = new URL(plan.imsUrl);
  const gateway = new URL(plan.gatewayUrl);
  const imsAgent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const gatewayAgent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let jti = 0;
  const claims = () => ({
    exp: Math.floor(Date.now() / 1000) + ASSERTION_LIFETIME_SECONDS,
    iss: credential.orgId,
    sub: credential.technicalAccountId,
    aud: `${plan.imsUrl}/c/${credential.clientId}`,
    ...Object.fromEntries(credential.metaScopes.map((s) => [`${plan.imsUrl}/s/${s}`, true])),
    jti: `soak-${RUN_ID}-${++jti}`,
  });
  const assertions = new AssertionSource(Math.max(10, Math.ceil(plan.exchangeRate / 2)), (count) =>
    signJwts(count, key, {}, claims),
  );

  /** One exchange; its access token, or a `Failure`. */
  const exchange = async (): Promise<string> => {
    const body = new URLSearchParams({
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
      jwt_token: await assertions.next(),
    }).toString();
    const answer = await httpCall(imsAgent, ims, {
      method: 'POST',
      path: '/ims/exchange/jwt',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (answer.status !== 200) throw new Failure(answer.status, answer.body);
    const token = accessTokenOf(answer.body);
    if (token === undefined) throw new Failure(answer.status, `no access_token: ${answer.body}`);
    return token;
  };

  const callGateway = async (token: string): Promise<void> => {
    const answer = await httpCall(gatewayAgent, gateway, {
      method: 'GET',
      path: '/v3/customers',
      headers: { authorization: `Bearer ${token}`, 'x-api-key': credential.clientId },
    });
    if (answer.status < 200 || answer.status >= 300) throw new Failure(answer.status, answer.body);
  };

  return {
    exchange,
    callGateway,
    close() {
      imsAgent.destroy();
      gatewayAgent.destroy();
    },
  };
}

/** Records a request's outcome in `stats`. */
async function timed(stats: StreamStats, request: () => Promise<void>): Promise<void> {
  const startedAt = performance.now();
  try {
    await request();
    stats.record(200, startedAt);
  } catch (err) {
    if (err instanceof Failure) stats.record(err.status, startedAt, err.message);
    else stats.record(undefined, startedAt, err instanceof Error ? err.message : String(err));
  }
}

async function run(plan: SoakPlan): Promise<SoakLoadResult> {
  const traffic = soakTraffic(plan);
  try {
    // Sample check and the repeated tokens: any failure here ends the run before the load.
    const repeated: string[] = [];
    for (let i = 0; i < REPEATED_TOKENS; i++) {
      const token = await traffic.exchange();
      await traffic.callGateway(token);
      repeated.push(token);
    }
    const fresh: string[] = [];
    let freshTokens = 0;
    let freshDropped = 0;
    let next = 0;
    const exchangeStats = new StreamStats();
    const gatewayStats = new StreamStats();
    const exchanges = new FixedRate(plan.exchangeRate, MAX_IN_FLIGHT, () =>
      timed(exchangeStats, async () => {
        const token = await traffic.exchange();
        if (fresh.length < FRESH_QUEUE) fresh.push(token);
        else freshDropped++;
      }),
    );
    const calls = new FixedRate(plan.gatewayRate, MAX_IN_FLIGHT, () => {
      const token = fresh.shift();
      if (token !== undefined) freshTokens++;
      return timed(gatewayStats, () =>
        traffic.callGateway(token ?? repeated[next++ % repeated.length] ?? ''),
      );
    });
    send({ type: 'started' });
    const started = performance.now();
    exchanges.start();
    calls.start();
    const progress = setInterval(() => {
      send({
        type: 'progress',
        progress: {
          exchangeOk: exchangeStats.ok,
          gatewayOk: gatewayStats.ok,
          failures: exchangeStats.failures + gatewayStats.failures,
        },
      });
    }, plan.progressSeconds * 1000);
    await new Promise((resolve) => setTimeout(resolve, plan.seconds * 1000));
    clearInterval(progress);
    await Promise.all([exchanges.stop(), calls.stop()]);
    const seconds = (performance.now() - started) / 1000;
    return {
      exchange: exchangeStats.result(exchanges, seconds),
      gateway: { ...gatewayStats.result(calls, seconds), freshTokens, freshDropped },
    };
  } finally {
    traffic.close();
  }
}

process.on('message', (message: { type: 'run'; plan: SoakPlan }) => {
  if (message.type !== 'run') return;
  run(message.plan).then(
    (result) => send({ type: 'result', result }, () => process.exit(0)),
    (err: unknown) =>
      send(
        {
          type: 'error',
          message:
            err instanceof Failure
              ? `sample check failed: HTTP ${err.status} ${err.message}`
              : err instanceof Error
                ? (err.stack ?? err.message)
                : String(err),
        },
        () => process.exit(1),
      ),
  );
});
process.on('disconnect', () => process.exit(1));
send({ type: 'ready' });
