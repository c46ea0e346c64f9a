#!/usr/bin/env node
// Fails (exit 1) when PIMS_TEST_POSTGRES_URL or PIMS_TEST_REDIS_URL is set and that server does not answer within 5 s.
import { connect } from 'node:net';

function reachable(name, url) {
  const { hostname, port } = new URL(url);
  const defaultPort = url.startsWith('redis') ? 6379 : 5432;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 5000 });
    socket.once('connect', () => {
      socket.end();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${name} (${hostname}:${port || defaultPort}) did not answer within 5 s`));
    });
    socket.once('error', (err) =>
      reject(
        new Error(`${name} (${hostname}:${port || defaultPort}) is unreachable: ${err.code ?? err.message}`),
      ),
    );
  });
}

const checks = [
  ['PIMS_TEST_POSTGRES_URL', process.env.PIMS_TEST_POSTGRES_URL],
  ['PIMS_TEST_REDIS_URL', process.env.PIMS_TEST_REDIS_URL],
].filter(([, url]) => url);

let failed = false;
for (const [name, url] of checks) {
  try {
    await reachable(name, url);
    console.log(`== ${name}: reachable`);
  } catch (err) {
    console.error(`== ${name}: ${err.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
