/**
 * `Authorization: Bearer <credentials>` (RFC 6750 §2.1): the scheme in any case, then exactly one space. Only the
 * scheme is parsed here; the credentials must be a compact JWS, whose alphabet is a subset of RFC 6750's b64token,
 * and `verifyAccessToken` checks that shape strictly before any key lookup or crypto, so the ~1 KB token is scanned
 * once. (The verified-token cache is looked up first, with the exact string: only a token that passed that check can
 * hit it.)
 */

/** The credentials after `Bearer ` (scheme matched case-insensitively), or undefined for any other scheme. */
export function parseBearer(value: string): string | undefined {
  if (value.length <= 7 || value.charCodeAt(6) !== 32) return undefined;
  return value.slice(0, 6).toLowerCase() === 'bearer' ? value.slice(7) : undefined;
}

/** True when the raw URL's query string carries `access_token` (RFC 6750 §2.3, which this gateway does not accept). */
export function hasQueryToken(rawUrl: string): boolean {
  const q = rawUrl.indexOf('?');
  if (q === -1) return false;
  const query = rawUrl.slice(q + 1).toLowerCase();
  return /(^|&)access(_|%5f)token(=|&|$)/.test(query);
}
