import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audienceFor, ENVIRONMENTS, metascopeClaim, resolveEnvironment } from './environments.js';
import { ConfigurationError } from './errors.js';

void test('presets carry the sandbox and production URLs of DESIGN.md §1', () => {
  assert.deepEqual(resolveEnvironment('sandbox'), {
    imsUrl: 'https://ims-na1-stg1.adobelogin.com',
    apiUrl: 'https://partnersandbox-stage.adobe.io',
  });
  assert.deepEqual(resolveEnvironment('production'), {
    imsUrl: 'https://ims-na1.adobelogin.com',
    apiUrl: 'https://partners.adobe.io',
  });
  assert.ok(Object.isFrozen(ENVIRONMENTS.sandbox));
});

void test('custom environments are normalised without trailing slashes, and bad ones refused', () => {
  assert.deepEqual(
    resolveEnvironment({ imsUrl: 'http://127.0.0.1:8180/', apiUrl: 'http://127.0.0.1:8181/base/' }),
    {
      imsUrl: 'http://127.0.0.1:8180',
      apiUrl: 'http://127.0.0.1:8181/base',
    },
  );
  for (const bad of [
    'staging',
    { imsUrl: '', apiUrl: 'http://x' },
    { imsUrl: 'ftp://x', apiUrl: 'http://x' },
    { imsUrl: 'http://x', apiUrl: 'not a url' },
    { imsUrl: 'http://x?q=1', apiUrl: 'http://x' },
  ]) {
    assert.throws(() => resolveEnvironment(bad as never), ConfigurationError, JSON.stringify(bad));
  }
});

void test('aud and metascope claims are built from the IMS URL', () => {
  assert.equal(audienceFor('https://ims-na1.adobelogin.com/', 'abc'), 'https://ims-na1.adobelogin.com/c/abc');
  assert.equal(
    metascopeClaim('https://ims-na1-stg1.adobelogin.com', 'ent_partners_sdk'),
    'https://ims-na1-stg1.adobelogin.com/s/ent_partners_sdk',
  );
  assert.equal(metascopeClaim('http://ims', 'https://other/s/x'), 'https://other/s/x');
});
