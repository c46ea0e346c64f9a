/**
 * One pass over the raw request headers (as received, duplicates included): their total size and how often
 * `Authorization` occurs. Node keeps only the first `Authorization`, so duplicates are only visible here.
 */

export interface HeaderScan {
  /** Sum of the lengths of every header name and value. */
  bytes: number;
  authorizationCount: number;
}

export function scanHeaders(rawHeaders: readonly string[]): HeaderScan {
  let bytes = 0;
  let authorizationCount = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    bytes += name.length + (rawHeaders[i + 1]?.length ?? 0);
    if (name.length === 13 && name.toLowerCase() === 'authorization') authorizationCount++;
  }
  return { bytes, authorizationCount };
}
