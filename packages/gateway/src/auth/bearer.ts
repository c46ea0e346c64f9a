/**
 * `Authorization: Bearer <token>` as RFC 6750 §2.1 writes it: the scheme in any case, exactly one space, a b64token.
 * Anything else is not a bearer token.
 */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of a well-formed bearer `Authorization` value, or undefined. */
export function parseBearer(value: string): string | undefined {
  return BEARER.exec(value)?.[1];
}

/** True when the raw URL's query string carries `access_token` (RFC 6750 §2.3, which this gateway does not accept). */
export function hasQueryToken(rawUrl: string): boolean {
  const q = rawUrl.indexOf('?');
  if (q === -1) return false;
  const query = rawUrl.slice(q + 1).toLowerCase();
  return /(^|&)access(_|%5f)token(=|&|$)/.test(query);
}
