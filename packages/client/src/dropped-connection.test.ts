import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLIENT_CREDENTIALS = fileURLToPath(new URL('./client-credentials.ts', import.meta.url));

/**
 * A server that accepts connections and drops them before answering usually leaves fetch waiting with no live handle
 * (sometimes fetch sees the drop and fails at once). In a process with nothing else to do (a CLI), the request must end
 * in an SDK error either way — not in the process exiting mid-request (code 13, no message). The request runs in a
 * child process for that reason.
 */
void test('a server that drops connections ends in a timeout or network error, also in a process with nothing else to do', async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const script = `
    const { requestClientCredentialsToken } = await import(${JSON.stringify(CLIENT_CREDENTIALS)});
    try {
      await requestClientCredentialsToken({
        imsUrl: 'http://127.0.0.1:${port}', clientId: 'c', clientSecret: 's', timeoutMs: 400, retry: { retries: 0 },
      });
      console.log('resolved');
    } catch (error) {
      console.log(error.name);
    }
  `;
  try {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stdout.trim(), /^(TimeoutError|NetworkError)$/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
