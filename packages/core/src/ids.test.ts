import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ID_PATTERNS, createIdGenerator } from './ids.js';

void describe('createIdGenerator', () => {
  void it('makes ids in the IMS formats', () => {
    const ids = createIdGenerator();
    assert.match(ids.orgId(), /^[0-9A-F]{24}@AdobeOrg$/);
    assert.match(ids.technicalAccountId(), /^[0-9A-F]{24}@techacct\.adobe\.com$/);
    assert.match(ids.technicalAccountEmail(), /^[0-9a-f-]{36}@techacct\.adobe\.com$/);
    assert.match(ids.clientId(), ID_PATTERNS.clientId);
    assert.match(ids.uuid(), ID_PATTERNS.uuid);
    assert.match(ids.orgId(), ID_PATTERNS.orgId);
  });

  void it('uses the injected random source and suffixes', () => {
    let calls = 0;
    const ids = createIdGenerator({
      random: (size) => {
        calls++;
        return new Uint8Array(size).fill(0xab);
      },
      orgIdSuffix: '@PimsOrg',
      technicalAccountSuffix: '@techacct.pims.test',
    });
    assert.equal(ids.orgId(), `${'AB'.repeat(12)}@PimsOrg`);
    assert.equal(ids.technicalAccountId(), `${'AB'.repeat(12)}@techacct.pims.test`);
    assert.equal(ids.clientId(), 'ab'.repeat(16));
    assert.equal(ids.uuid(), 'abababab-abab-4bab-abab-abababababab');
    assert.equal(calls, 4);
  });

  void it('does not repeat itself', () => {
    const ids = createIdGenerator();
    const seen = new Set(Array.from({ length: 1000 }, () => ids.clientId()));
    assert.equal(seen.size, 1000);
  });

  void it('refuses a random source that returns the wrong number of bytes', () => {
    const ids = createIdGenerator({ random: () => new Uint8Array(1) });
    assert.throws(() => ids.clientId(), RangeError);
  });
});
