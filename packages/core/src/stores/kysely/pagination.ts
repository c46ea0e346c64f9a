/**
 * Keyset pagination: a cursor is the sort key of the last row of a page, as base64url JSON. It is opaque to callers
 * and checked on the way back in (`InvalidCursor` otherwise). Pages fetch `limit + 1` rows to know whether more follow.
 */
import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import type { Page } from '../records.js';
import { InvalidCursor } from '../../storage/storage-errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export type CursorKey = readonly (string | number)[];

export function pageLimit(
  limit: number | undefined,
  max = MAX_PAGE_SIZE,
  fallback = DEFAULT_PAGE_SIZE,
): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor whose parts have the given types, e.g. `['number', 'string']` for `(created_at, id)`. */
export function decodeCursor<const S extends readonly ('number' | 'string')[]>(
  cursor: string,
  shape: S,
): { [K in keyof S]: S[K] extends 'number' ? number : string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw new InvalidCursor();
  shape.forEach((type, i) => {
    const part: unknown = value[i];
    if (typeof part !== type || (type === 'number' && !Number.isSafeInteger(part))) throw new InvalidCursor();
  });
  return value as { [K in keyof S]: S[K] extends 'number' ? number : string };
}

/** Turns `limit + 1` fetched rows into a page of `limit` records and the next cursor. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  key: (row: R) => CursorKey,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last !== undefined
    ? { items: items.map(map), nextCursor: encodeCursor(key(last)) }
    : { items: items.map(map) };
}

/** `(first, second) > (a, b)` spelled out, for ascending keyset pages on two columns. */
export function after(first: string, second: string, [a, b]: readonly [number, string]): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(first)} > ${a} or (${sql.ref(first)} = ${a} and ${sql.ref(second)} > ${b}))`;
}
