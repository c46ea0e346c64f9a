import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCatalogue, errorCodes, isErrorCode } from './catalogue.js';
import { PimsError, isPimsError, pimsError } from './pims-error.js';
import { toConsoleError, toImsError, toPartnerApiError } from './serializers.js';
import { METASCOPE_PARTNERS_SDK, isKnownMetascope, knownMetascopes } from '../scopes.js';

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

void describe('error catalogue', () => {
  void it('gives every code a status, a dialect and a fixed description', () => {
    assert.ok(errorCodes.length >= 40);
    for (const code of errorCodes) {
      const entry: { status: number; dialect: string; wire?: string; description: string } =
        errorCatalogue[code];
      assert.ok(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599, code);
      assert.ok(['ims', 'partner', 'console', 'any'].includes(entry.dialect), code);
      assert.match(entry.description, /^[A-Z].*\.$/, code);
      assert.ok(!entry.description.includes('${'), code);
      if (entry.dialect === 'ims' || entry.dialect === 'partner')
        assert.ok(entry.wire, `${code} has a wire code`);
      if (entry.dialect !== 'any') assert.ok(code.startsWith(`${entry.dialect}.`), code);
    }
  });

  void it('keeps the documented statuses and wire codes', () => {
    const expected: Record<string, [number, string?]> = {
      'ims.bad_request': [400, 'bad_request'],
      'ims.duplicate_parameter': [400, 'bad_request'],
      'ims.secret_in_query': [400, 'bad_request'],
      'ims.unsupported_media_type': [415, 'bad_request'],
      'ims.payload_too_large': [413, 'bad_request'],
      'ims.unsupported_grant_type': [400, 'unsupported_grant_type'],
      'ims.invalid_client': [400, 'invalid_client'],
      'ims.client_disabled': [400, 'invalid_client'],
      'ims.audience_mismatch': [400, 'invalid_client'],
      'ims.invalid_client_secret': [401, 'invalid_client'],
      'ims.token_missing': [400, 'invalid_token'],
      'ims.token_malformed': [400, 'invalid_token'],
      'ims.token_expired': [400, 'invalid_token'],
      'ims.token_lifetime_too_long': [400, 'invalid_token'],
      'ims.token_claims_invalid': [400, 'invalid_token'],
      'ims.token_replayed': [400, 'invalid_token'],
      'ims.invalid_signature': [400, 'invalid_signature'],
      'ims.invalid_scope': [400, 'invalid_scope'],
      'ims.rate_limited': [429, 'rate_limited'],
      'ims.server_error': [503, 'server_error'],
      'ims.method_not_allowed': [405],
      'partner.api_key_invalid': [403, '4115'],
      'partner.token_invalid': [401, '4116'],
      'partner.token_missing': [403, '4117'],
      'partner.rate_limited': [429, '4118'],
      'partner.forbidden': [403, '4121'],
      'partner.not_found': [404],
      'partner.upstream_timeout': [504],
      'partner.bad_gateway': [502],
      'partner.headers_too_large': [431],
      'console.validation_failed': [400],
      'console.unprocessable': [422],
      'console.unauthenticated': [401],
      'console.forbidden': [403],
      'console.csrf_failed': [403],
      'console.not_found': [404],
      'console.conflict': [409],
      'console.payload_too_large': [413],
      'console.unsupported_media_type': [415],
      'console.rate_limited': [429],
      internal_error: [500],
      storage_unavailable: [503],
    };
    for (const [code, [status, wire]] of Object.entries(expected)) {
      assert.ok(isErrorCode(code), code);
      const entry: { status: number; wire?: string } = errorCatalogue[code];
      assert.equal(entry.status, status, code);
      if (wire !== undefined) assert.equal(entry.wire, wire, code);
    }
    assert.equal(errorCatalogue.internal_error.description, 'Internal server error.');
  });

  void it('isErrorCode ignores inherited keys', () => {
    assert.equal(isErrorCode('toString'), false);
    assert.equal(isErrorCode('__proto__'), false);
    assert.equal(isErrorCode(42), false);
  });
});

void describe('PimsError', () => {
  void it('carries code, status, details, retry-after and cause, with the fixed description as message', () => {
    const cause = new Error('db said: SELECT secret');
    const err = pimsError('console.validation_failed', {
      details: [{ path: 'name' }],
      retryAfterSeconds: 3,
      cause,
    });
    assert.ok(err instanceof PimsError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'PimsError');
    assert.equal(err.code, 'console.validation_failed');
    assert.equal(err.status, 400);
    assert.equal(err.message, 'The request is invalid.');
    assert.deepEqual(err.details, [{ path: 'name' }]);
    assert.equal(err.retryAfterSeconds, 3);
    assert.equal(err.cause, cause);
  });

  void it('isPimsError recognises a copy by shape and refuses look-alikes', () => {
    const copy = Object.assign(new Error('x'), { name: 'PimsError', code: 'ims.token_expired', status: 400 });
    assert.equal(isPimsError(copy), true);
    assert.equal(
      isPimsError(Object.assign(new Error('x'), { name: 'PimsError', code: 'nope', status: 400 })),
      false,
    );
    assert.equal(isPimsError({ name: 'PimsError', code: 'ims.token_expired', status: 400 }), false);
    assert.equal(isPimsError(pimsError('internal_error')), true);
  });
});

void describe('toImsError', () => {
  void it('renders an IMS error with no-store headers', () => {
    assert.deepEqual(toImsError(pimsError('ims.invalid_client_secret')), {
      status: 401,
      headers: noStore,
      body: { error: 'invalid_client', error_description: 'The client secret is invalid.' },
    });
    assert.deepEqual(toImsError(pimsError('ims.token_replayed')), {
      status: 400,
      headers: noStore,
      body: { error: 'invalid_token', error_description: 'The assertion has already been used.' },
    });
  });

  void it('adds Retry-After to 429s, rounded up, defaulting to 60', () => {
    assert.deepEqual(toImsError(pimsError('ims.rate_limited', { retryAfterSeconds: 2.2 })), {
      status: 429,
      headers: { ...noStore, 'Retry-After': '3' },
      body: { error: 'rate_limited', error_description: 'Too many requests. Retry later.' },
    });
    assert.equal(toImsError(pimsError('ims.rate_limited')).headers['Retry-After'], '60');
  });

  void it('renders any-dialect codes and storage outages as server_error', () => {
    assert.deepEqual(toImsError(pimsError('internal_error')), {
      status: 500,
      headers: noStore,
      body: { error: 'server_error', error_description: 'Internal server error.' },
    });
    const storage = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'), {
      code: 'STORAGE_UNAVAILABLE',
    });
    assert.deepEqual(toImsError(storage), {
      status: 503,
      headers: noStore,
      body: {
        error: 'server_error',
        error_description: 'The service is temporarily unavailable. Retry later.',
      },
    });
  });

  void it('renders an error of another dialect as the fixed 500', () => {
    assert.equal(toImsError(pimsError('console.conflict')).status, 500);
  });
});

void describe('toPartnerApiError', () => {
  void it('renders {code,message} with the request id', () => {
    assert.deepEqual(toPartnerApiError(pimsError('partner.api_key_invalid'), { requestId: 'req-1' }), {
      status: 403,
      headers: { 'X-Request-Id': 'req-1' },
      body: { code: '4115', message: 'API key is invalid or missing.' },
    });
  });

  void it('adds WWW-Authenticate to 401 and Retry-After to 429', () => {
    assert.deepEqual(toPartnerApiError(pimsError('partner.token_invalid')), {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      body: { code: '4116', message: 'Access token is invalid.' },
    });
    assert.deepEqual(toPartnerApiError(pimsError('partner.rate_limited', { retryAfterSeconds: 7 })), {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { code: '4118', message: 'Too many requests.' },
    });
  });

  void it('puts the status on the wire for unexpected errors', () => {
    assert.deepEqual(toPartnerApiError(new TypeError('boom')), {
      status: 500,
      headers: {},
      body: { code: '500', message: 'Internal server error.' },
    });
    assert.deepEqual(toPartnerApiError(pimsError('partner.not_found')).body, {
      code: '404',
      message: 'Resource not found.',
    });
  });
});

void describe('toConsoleError', () => {
  void it('renders {code,message,details}', () => {
    const details = [{ path: ['name'], message: 'Required' }];
    assert.deepEqual(toConsoleError(pimsError('console.validation_failed', { details })), {
      status: 400,
      headers: {},
      body: { code: 'console.validation_failed', message: 'The request is invalid.', details },
    });
    assert.deepEqual(toConsoleError(pimsError('console.not_found')), {
      status: 404,
      headers: {},
      body: { code: 'console.not_found', message: 'Not found.' },
    });
    assert.deepEqual(toConsoleError(pimsError('console.rate_limited')).headers, { 'Retry-After': '60' });
  });
});

void describe('unexpected errors', () => {
  const secret = 'sk_live_5f3a9c0e-TOP-SECRET';
  const raw = new Error(`insert into client_secrets values ('${secret}') failed`);
  for (const [name, serialize] of [
    ['ims', toImsError],
    ['partner', toPartnerApiError],
    ['console', toConsoleError],
  ] as const) {
    void it(`${name}: renders a raw Error as the fixed 500 without its message or stack`, () => {
      const out = serialize(raw);
      assert.equal(out.status, 500);
      const text = JSON.stringify(out);
      assert.ok(!text.includes(secret));
      assert.ok(!text.includes('insert into'));
      assert.ok(!text.includes('at '));
      assert.ok(text.includes('Internal server error.'));
    });
  }

  void it('handles thrown non-errors', () => {
    for (const value of [undefined, null, 'a string with sk_live', 42, { message: 'x' }]) {
      assert.equal(toConsoleError(value).body.code, 'internal_error');
    }
  });

  void it('never renders details of an internal_error', () => {
    const err = pimsError('internal_error', { details: { sql: 'select 1' } });
    assert.ok(!JSON.stringify(toImsError(err)).includes('select'));
    assert.ok(!JSON.stringify(toPartnerApiError(err)).includes('select'));
    assert.deepEqual(toConsoleError(err).body, { code: 'internal_error', message: 'Internal server error.' });
  });
});

void describe('scopes', () => {
  void it('names the partner metascope', () => {
    assert.equal(METASCOPE_PARTNERS_SDK, 'ent_partners_sdk');
    assert.deepEqual([...knownMetascopes], ['ent_partners_sdk']);
    assert.equal(isKnownMetascope('ent_partners_sdk'), true);
    assert.equal(isKnownMetascope('openid'), false);
    assert.ok(Object.isFrozen(knownMetascopes));
  });
});
