/**
 * A local port nothing listens on, for tests of an unreachable host. It is taken below the range the kernel hands out
 * for `listen(0)`: every server the tests start listens on port 0, so none of them can take it while the test runs
 * (an ephemeral port merely closed again was once taken by an IMS that a concurrent test started).
 */
import { createServer } from 'node:net';

export async function refusedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolveFree) => {
      const probe = createServer();
      probe.once('error', () => resolveFree(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found below the ephemeral range (20000-29999)');
}
