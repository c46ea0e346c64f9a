/**
 * GW-1: the only routes open without a token are `GET|HEAD /ping` and `/partnerservice/ping`, decided on the raw
 * request URL by exact match of its path (a query string is allowed). No decoding or normalisation happens first, so
 * `//ping`, `/ping/`, `/PING`, `/ping/../v3/customers`, `/%70ing`, `/ping;x`, `/ping.json` are not open.
 */
export const OPEN_PATHS: readonly string[] = Object.freeze(['/ping', '/partnerservice/ping']);

/** True when this request may pass without a token. */
export function isOpenRequest(method: string, rawUrl: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  return path === '/ping' || path === '/partnerservice/ping';
}
