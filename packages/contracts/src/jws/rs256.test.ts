import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { signRs256, splitCompactJws, verifiedPayload, verifyRs256 } from './rs256.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A compact JWS signed by `privateKey` with RSASSA-PKCS1-v1_5 / SHA-256 (what RS256 means), built independently. */
function rs256(header: unknown, payload: unknown, privateKey: KeyObject = rsa.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const header = { alg: 'RS256', kid: 'k1' };
const claims = { sub: 'someone', exp: 2_000_000_000 };

async function verifies(token: string, key: KeyObject = rsa.publicKey): Promise<boolean> {
  const jws = splitCompactJws(token);
  return jws !== undefined && (await verifyRs256(jws, key));
}

void describe('RS256 compact JWS verification (@pims/contracts/jws)', () => {
  void it('verifies a token signed by the key, and only then hands out its payload', async () => {
    const token = rs256(header, claims);
    const jws = splitCompactJws(token);
    assert.ok(jws);
    assert.deepEqual(jws.header, header);
    assert.equal(await verifyRs256(jws, rsa.publicKey), true);
    assert.deepEqual(verifiedPayload(jws), claims);
  });

  void it('refuses a signature by another key, and a changed payload or header', async () => {
    assert.equal(await verifies(rs256(header, claims, otherRsa.privateKey)), false);
    const [h, , s] = rs256(header, claims).split('.');
    assert.equal(await verifies(`${h}.${b64({ ...claims, sub: 'admin' })}.${s}`), false);
    const [, p, s2] = rs256(header, claims).split('.');
    assert.equal(await verifies(`${b64({ ...header, kid: 'k2' })}.${p}.${s2}`), false);
  });

  void it('uses only a public RSA key of 2048 bits or more, whatever the header says', async () => {
    const token = rs256(header, claims);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const shortToken = rs256(header, claims, short.privateKey);
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    assert.equal(await verifies(token, ec.publicKey), false);
    assert.equal(await verifies(shortToken, short.publicKey), false);
    assert.equal(await verifies(rs256(header, claims, pss.privateKey), pss.publicKey), false);
    // The private key of the right pair is not a verification key either.
    assert.equal(await verifies(token, rsa.privateKey), false);
    assert.equal(await verifies(token, createPublicKey(rsa.privateKey)), true);
  });

  void it('refuses HS256 made with the public key as the secret (algorithm confusion)', async () => {
    const secret = rsa.publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256', kid: 'k1' })}.${b64(claims)}`;
    const mac = createHmac('sha256', secret).update(input).digest('base64url');
    assert.equal(await verifies(`${input}.${mac}`), false);
  });

  void it('is not a compact JWS: alg none, padding, standard base64, a fourth or an empty segment, a non-object header', () => {
    const token = rs256(header, claims);
    const [h = '', p = '', s = ''] = token.split('.');
    const standard = Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '');
    const forms = [
      `${b64({ alg: 'none' })}.${p}.`,
      `${h}.${p}.${s}=`,
      `${h}=.${p}.${s}`,
      `${h}.${p}.${standard.includes('+') || standard.includes('/') ? standard : `${standard.slice(1)}+`}`,
      `${token}.${s}`,
      `${h}..${s}`,
      `.${p}.${s}`,
      `${Buffer.from('[1]').toString('base64url')}.${p}.${s}`,
      `${Buffer.from('not json').toString('base64url')}.${p}.${s}`,
      ` ${token}`,
      '',
    ];
    for (const form of forms) assert.equal(splitCompactJws(form), undefined, form.slice(0, 40));
  });

  void it('hands out no payload that is not a JSON object, even when signed', async () => {
    const input = `${b64(header)}.${Buffer.from('"just a string"').toString('base64url')}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
    const jws = splitCompactJws(token);
    assert.ok(jws);
    assert.equal(await verifyRs256(jws, rsa.publicKey), true);
    assert.equal(verifiedPayload(jws), undefined);
  });

  void it('verifies right with a key used for the first time by many requests at once', async () => {
    const fresh = createPublicKey(rsa.privateKey);
    const token = rs256(header, claims);
    const forged = rs256(header, claims, otherRsa.privateKey);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => verifies(i % 2 === 0 ? token : forged, fresh)),
    );
    assert.deepEqual(
      results,
      results.map((_, i) => i % 2 === 0),
    );
  });

  void it('refuses a truncated or lengthened signature', async () => {
    const token = rs256(header, claims);
    assert.equal(await verifies(token.slice(0, -4)), false);
    assert.equal(await verifies(`${token}AAAA`), false);
  });
});

void describe('RS256 compact JWS signing (@pims/contracts/jws)', () => {
  const payload = JSON.stringify(claims);

  void it('writes the header and payload as given and signs them RSASSA-PKCS1-v1_5 / SHA-256, deterministically', async () => {
    const token = await signRs256(header, payload, rsa.privateKey);
    const [h = '', p = '', s = ''] = token.split('.');
    assert.equal(Buffer.from(h, 'base64url').toString(), '{"alg":"RS256","kid":"k1"}');
    assert.equal(Buffer.from(p, 'base64url').toString(), payload);
    // Checked with node:crypto directly, not with the module's own verifier, and byte for byte against a sync sign.
    assert.equal(
      verify('sha256', Buffer.from(`${h}.${p}`), rsa.publicKey, Buffer.from(s, 'base64url')),
      true,
    );
    assert.equal(token, rs256(header, claims));
    assert.equal(await signRs256(header, payload, rsa.privateKey), token);
    assert.equal(
      verify('sha256', Buffer.from(`${h}.${p}`), otherRsa.publicKey, Buffer.from(s, 'base64url')),
      false,
    );
  });

  void it('signs with a key used for the first time by many callers at once, each with its own input', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tokens = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signRs256(header, JSON.stringify({ ...claims, n: i }), key.privateKey),
      ),
    );
    tokens.forEach((token, i) => {
      const [h = '', p = '', s = ''] = token.split('.');
      assert.deepEqual(JSON.parse(Buffer.from(p, 'base64url').toString()), { ...claims, n: i });
      assert.equal(
        verify('sha256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url')),
        true,
      );
    });
  });

  void it('signs only with an RSA private key of 2048 bits or more, and only an RS256 header', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    for (const key of [ec.privateKey, short.privateKey, pss.privateKey, rsa.publicKey]) {
      await assert.rejects(signRs256(header, payload, key), TypeError);
    }
    for (const alg of ['none', 'HS256', 'PS256', undefined]) {
      await assert.rejects(signRs256({ alg, kid: 'k1' }, payload, rsa.privateKey), TypeError);
    }
  });
});
