import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exitCodeFor } from '../run-action.js';
import {
  UsageError,
  credentialsFromFlags,
  credentialsShowCommand,
  environmentFromFlags,
  maskSecret,
  type CliIo,
} from './credentials.js';

const SECRET_A = 'p8e-Secret-Number-One-abcd';
const SECRET_B = 'p8e-Secret-Number-Two-wxyz';
const dir = mkdtempSync(join(tmpdir(), 'pims-credentials-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function workspace(credential: Record<string, unknown>): string {
  const file = join(dir, `workspace-${Math.random().toString(36).slice(2)}.json`);
  const json = {
    project: {
      id: 'p1',
      name: 'Demo Project',
      org: { id: 'o1', name: 'Demo Distributor', ims_org_id: '12AB34CD56EF7890ABCDEF12@AdobeOrg' },
      workspace: {
        details: { credentials: [{ id: 'c1', name: 'Demo', integration_type: 'service', ...credential }] },
      },
    },
  };
  writeFileSync(file, JSON.stringify(json));
  return file;
}

const common = {
  client_id: 'abcdef0123456789',
  technical_account_id: '0123456789ABCDEF01234567@techacct.adobe.com',
  technical_account_email: 'ta@techacct.adobe.com',
};

function capture(
  env: Record<string, string | undefined> = {},
): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    env,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}

describe('maskSecret', () => {
  test('keeps a short prefix and the last four characters', () => {
    assert.equal(maskSecret('p8e-Qx1-9Zz3abcd'), 'p8e-…abcd');
    assert.equal(maskSecret('0123456789abcdefXYZW'), '…XYZW');
  });
  test('hides short secrets entirely and says when there is none', () => {
    assert.equal(maskSecret('p8e-short'), '****');
    assert.equal(maskSecret(''), '(none)');
    assert.equal(maskSecret(undefined), '(none)');
  });
});

describe('environmentFromFlags', () => {
  test('sandbox by default, production by name, --api-url overrides the API', () => {
    assert.equal(environmentFromFlags({}, true).imsUrl, 'https://ims-na1-stg1.adobelogin.com');
    assert.equal(environmentFromFlags({ env: 'production' }, true).apiUrl, 'https://partners.adobe.io');
    assert.equal(
      environmentFromFlags({ env: 'sandbox', apiUrl: 'http://127.0.0.1:9/' }, true).apiUrl,
      'http://127.0.0.1:9',
    );
  });
  test('a URL is our own IMS; the API URL is required only by commands that call the API', () => {
    assert.deepEqual(environmentFromFlags({ env: 'http://127.0.0.1:8180/' }, false), {
      imsUrl: 'http://127.0.0.1:8180',
      apiUrl: 'http://127.0.0.1:8180',
    });
    assert.throws(() => environmentFromFlags({ env: 'http://127.0.0.1:8180' }, true), UsageError);
    assert.throws(
      () => environmentFromFlags({ env: 'staging' }, false),
      /--env must be sandbox, production or/,
    );
  });
});

describe('credentialsFromFlags', () => {
  test('a workspace file with OAuth server-to-server picks it when no key is given', () => {
    const file = workspace({
      oauth_server_to_server: { ...common, client_secrets: [SECRET_A], scopes: ['ent_partners_sdk'] },
    });
    const credentials = credentialsFromFlags({ credentials: file }, {});
    assert.equal(credentials.type, 'oauth_server_to_server');
    assert.equal(credentials.clientSecret, SECRET_A);
  });
  test('--type jwt without a private key anywhere is a usage error naming --private-key', () => {
    const file = workspace({
      jwt: { ...common, client_secret: SECRET_A, meta_scopes: ['ent_partners_sdk'] },
    });
    assert.throws(() => credentialsFromFlags({ credentials: file, type: 'jwt' }, {}), /--private-key/);
  });
  test('without a file the PIMS_* variables are read; --type oauth ignores a private key there', () => {
    const env = {
      PIMS_CLIENT_ID: 'abcdef0123456789',
      PIMS_CLIENT_SECRET: SECRET_A,
      PIMS_ORG_ID: '12AB34CD56EF7890ABCDEF12@AdobeOrg',
      PIMS_PRIVATE_KEY_FILE: join(dir, 'missing.key'),
    };
    assert.equal(credentialsFromFlags({ type: 'oauth' }, env).type, 'oauth_server_to_server');
    assert.throws(() => credentialsFromFlags({}, env), /PIMS_PRIVATE_KEY_FILE/);
    const { PIMS_PRIVATE_KEY_FILE: _unused, ...withoutKey } = env;
    assert.throws(() => credentialsFromFlags({ type: 'jwt' }, withoutKey), UsageError);
  });
});

describe('pims credentials show', () => {
  const file = workspace({
    jwt: { ...common, client_secret: SECRET_A, meta_scopes: ['ent_partners_sdk'] },
    oauth_server_to_server: {
      ...common,
      client_secrets: [SECRET_A, SECRET_B],
      scopes: ['openid', 'ent_partners_sdk'],
    },
  });

  test('shows both kinds with secrets masked, never in full', () => {
    const io = capture();
    credentialsShowCommand(file, {}, io);
    assert.match(io.stdout(), /org {9}12AB34CD56EF7890ABCDEF12@AdobeOrg \(Demo Distributor\)/);
    assert.match(io.stdout(), /client_secret +p8e-…abcd\n/);
    assert.match(io.stdout(), /client_secrets +p8e-…abcd, p8e-…wxyz\n/);
    assert.doesNotMatch(io.stdout(), /Secret-Number/);
  });

  test('--json gives the same, masked', () => {
    const io = capture();
    credentialsShowCommand(file, { json: true }, io);
    const shown = JSON.parse(io.stdout()) as {
      credentials: Array<{ oauth_server_to_server: { client_secrets: string[] } }>;
    };
    assert.deepEqual(shown.credentials[0]?.oauth_server_to_server.client_secrets, ['p8e-…abcd', 'p8e-…wxyz']);
    assert.doesNotMatch(io.stdout(), /Secret-Number/);
  });

  test('a missing file is a credential_not_found error (exit 1)', () => {
    assert.throws(
      () => credentialsShowCommand(join(dir, 'nope.json'), {}, capture()),
      (err: Error & { code?: string }) => err.code === 'credential_not_found' && exitCodeFor(err) === 1,
    );
  });
});

describe('exit codes of the SDK errors', () => {
  test('unreachable (network_error, timeout, ims_unavailable) is 2; refused is 1', () => {
    for (const code of ['network_error', 'timeout', 'ims_unavailable'])
      assert.equal(exitCodeFor({ code }), 2, code);
    for (const code of ['ims_rejected', 'credential_invalid', 'partner_api_error', 'usage_error']) {
      assert.equal(exitCodeFor({ code }), 1, code);
    }
  });
});
