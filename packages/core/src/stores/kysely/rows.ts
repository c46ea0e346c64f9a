/** Row ↔ record conversions shared by the Kysely stores. */

/** pg may hand back int8 as a string if a pool without the int8 parser is used; SQLite gives numbers. */
export function num(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : num(value);
}

export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

export function fromFlag(value: number | string): boolean {
  return num(value) === 1;
}

export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function parseObjectOrNull(text: string | null): Record<string, unknown> | null {
  return text === null ? null : parseObject(text);
}

/** Drops `undefined` entries, so a patch only sets the columns it names. */
export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Rows changed by an update or delete, as Kysely reports them (bigint). */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}
