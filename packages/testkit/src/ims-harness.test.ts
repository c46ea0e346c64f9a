import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { SignJWT, importPKCS8 } from 'jose';
import FormData from 'form-data';
import { startImsHarness } from './ims-harness.js';

void test('the harness serves real tokens over HTTP by both routes for the seeded credential', async () => {
  const ims = await startImsHarness();
  try {
    const { credentials } = ims;
    const oauth = await fetch(`${ims.url}/ims/token/v3`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: credentials.scopes.join(','),
      }),
    });
    assert.equal(oauth.status, 200, await oauth.clone().text());

    const assertion = await new SignJWT({
      iss: credentials.orgId,
      sub: credentials.technicalAccountId,
      aud: `${ims.url}/c/${credentials.clientId}`,
      [`${ims.url}/s/ent_partners_sdk`]: true,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('5m')
      .sign(await importPKCS8(ims.privateKeyPem, 'RS256'));
    // Multipart from the form-data package, as Adobe's Node clients send it, over a real socket.
    const form = new FormData();
    form.append('client_id', credentials.clientId);
    form.append('client_secret', credentials.clientSecret);
    form.append('jwt_token', assertion);
    const exchange = await fetch(`${ims.url}/ims/exchange/jwt`, {
      method: 'POST',
      headers: form.getHeaders(),
      body: form.getBuffer(),
    });
    const body = (await exchange.json()) as { access_token: string; expires_in: number };
    assert.equal(exchange.status, 200);
    assert.ok(body.expires_in > 86_000_000);

    const keys = await fetch(`${ims.url}/ims/keys`);
    assert.equal(keys.status, 200);
  } finally {
    await ims.stop();
  }
  assert.equal(existsSync(ims.dataDir), false);
});
