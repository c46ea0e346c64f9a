import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CredentialError } from '../errors.js';
import { TEST_CLIENT, testKeys, workspaceJson } from '../testing/fixtures.js';
import { loadWorkspaceCredentials } from './workspace.js';

function writeWorkspace(json: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pims-ws-')), 'workspace.json');
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

function credentialError(fn: () => unknown): CredentialError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CredentialError, `expected CredentialError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a CredentialError');
}

void test('a file with JWT and OAuth credentials: OAuth by default, JWT when a private key is given', () => {
  const file = writeWorkspace(workspaceJson());
  const oauth = loadWorkspaceCredentials(file);
  assert.deepEqual(oauth, {
    type: 'oauth_server_to_server',
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    orgId: TEST_CLIENT.orgId,
    technicalAccountId: TEST_CLIENT.technicalAccountId,
    technicalAccountEmail: TEST_CLIENT.technicalAccountEmail,
    scopes: ['ent_partners_sdk'],
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'pims-key-')), 'private.key');
  writeFileSync(keyFile, testKeys().pem);
  const jwt = loadWorkspaceCredentials(file, { privateKeyFile: keyFile });
  assert.equal(jwt.type, 'jwt');
  assert.deepEqual(jwt.type === 'jwt' && jwt.metaScopes, ['ent_partners_sdk']);
  assert.equal(jwt.technicalAccountId, TEST_CLIENT.technicalAccountId);
});

void test('credentials are picked by name or by type, from a parsed object too', () => {
  const json = workspaceJson();
  assert.equal(
    loadWorkspaceCredentials(json, { credential: 'Partner API OAuth' }).type,
    'oauth_server_to_server',
  );
  assert.equal(
    loadWorkspaceCredentials(json, { credential: 'Partner API', privateKey: testKeys().pem }).type,
    'jwt',
  );
  assert.equal(
    loadWorkspaceCredentials(json, { type: 'oauth_server_to_server' }).type,
    'oauth_server_to_server',
  );
  const missingKey = credentialError(() => loadWorkspaceCredentials(json, { type: 'jwt' }));
  assert.equal(missingKey.field, 'privateKey (option)');
  assert.equal(missingKey.source, 'workspace object');
});

void test('one credential entry carrying both jwt and oauth_server_to_server blocks works for either', () => {
  const [jwtEntry, oauthEntry] = (
    workspaceJson().project as { workspace: { details: { credentials: object[] } } }
  ).workspace.details.credentials as [Record<string, unknown>, Record<string, unknown>];
  const both = { ...jwtEntry, oauth_server_to_server: oauthEntry.oauth_server_to_server };
  const json = workspaceJson({ credentials: [both] });
  assert.equal(loadWorkspaceCredentials(json).type, 'oauth_server_to_server');
  assert.equal(loadWorkspaceCredentials(json, { privateKey: testKeys().privateKey }).type, 'jwt');
});

void test('an unknown name, or an ambiguous choice, is refused naming the credentials', () => {
  const file = writeWorkspace(workspaceJson());
  const unknown = credentialError(() => loadWorkspaceCredentials(file, { credential: 'Nope' }));
  assert.equal(unknown.code, 'credential_not_found');
  assert.match(unknown.message, /"Partner API", "Partner API OAuth"/);
  assert.equal(unknown.source, `workspace file ${file}`);
  const twoOauth = workspaceJson({
    credentials: [
      { name: 'a', integration_type: 'oauth_server_to_server', oauth_server_to_server: {} },
      { name: 'b', integration_type: 'oauth_server_to_server', oauth_server_to_server: {} },
    ],
  });
  assert.match(credentialError(() => loadWorkspaceCredentials(twoOauth)).message, /pick one by name/);
});

void test('bad fields are named by their JSON path', () => {
  const json = workspaceJson({
    orgId: 42,
    credentials: [
      {
        name: 'Broken',
        integration_type: 'oauth_server_to_server',
        oauth_server_to_server: { client_id: '', client_secrets: [], technical_account_id: 7, scopes: [] },
      },
    ],
  });
  const error = credentialError(() => loadWorkspaceCredentials(json));
  assert.deepEqual(
    error.issues.map((i) => i.field),
    [
      'project.workspace.details.credentials[0].oauth_server_to_server.client_id',
      'project.workspace.details.credentials[0].oauth_server_to_server.client_secrets[0]',
      'project.org.ims_org_id',
      'project.workspace.details.credentials[0].oauth_server_to_server.technical_account_id',
      'project.workspace.details.credentials[0].oauth_server_to_server.scopes',
    ],
  );
  assert.match(error.message, /ims_org_id must be a string \(got number\)/);
});

void test('unreadable, non-JSON and shapeless files are refused', () => {
  assert.equal(
    credentialError(() => loadWorkspaceCredentials('/nonexistent/ws.json')).code,
    'credential_not_found',
  );
  assert.match(
    credentialError(() => loadWorkspaceCredentials(writeWorkspace('{nope'))).message,
    /not valid JSON/,
  );
  assert.equal(
    credentialError(() => loadWorkspaceCredentials({ project: {} })).field,
    'project.workspace.details.credentials',
  );
});
