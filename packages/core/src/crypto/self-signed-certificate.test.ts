import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { generateKeyPairWithCertificate } from './self-signed-certificate.js';

const now = Date.UTC(2026, 10, 25, 12, 0, 30, 500);

test('the certificate belongs to the private key, names the subject and has the asked validity', async () => {
  const pair = await generateKeyPairWithCertificate({ commonName: 'acme partner', now, validityDays: 30 });
  const certificate = new X509Certificate(pair.certificatePem);
  const privateKey = createPrivateKey(pair.privateKeyPem);
  assert.ok(certificate.checkPrivateKey(privateKey));
  assert.ok(certificate.verify(createPublicKey(privateKey)), 'self-signed');
  assert.equal(certificate.subject, 'CN=acme partner');
  assert.equal(certificate.issuer, 'CN=acme partner');
  assert.equal(certificate.ca, false);
  assert.equal(new Date(certificate.validFrom).getTime(), pair.notBefore);
  assert.equal(pair.notBefore, Date.UTC(2026, 10, 25, 11, 59, 30));
  assert.equal(pair.notAfter, Date.UTC(2026, 11, 25, 12, 0, 30));
  assert.equal(pair.fingerprintSha256, createHash('sha256').update(certificate.raw).digest('hex'));
  assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
});

test('every serial number encodes validly (no leading zero byte), across many certificates', async () => {
  const { privateKeyPem } = await generateKeyPairWithCertificate({ commonName: 'k', now });
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const { createSelfSignedCertificate } = await import('./self-signed-certificate.js');
  for (let i = 0; i < 60; i++) {
    const certificate = await createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName: `k${i}`,
      notBefore: now,
      notAfter: now + 86_400_000,
    });
    const serial = new X509Certificate(certificate.der).serialNumber;
    assert.equal(serial.length, 32, `serial ${serial} is 16 bytes`);
    assert.match(serial, /^[4-7]/, 'positive, top byte without a sign bit or leading zero');
  }
});
