/**
 * A query Kysely builds and compiles once, then runs with new values. Building and compiling a query (immutable
 * operation nodes, a visitor pass) costs more than SQLite takes to run one of ours and leaves garbage behind; the hot
 * statements of the token endpoints always have the same shape, so their SQL text is made once per store.
 *
 * The query is compiled with a unique marker in place of each value; the markers' positions among the compiled
 * parameters say where each value goes. Values must therefore reach the query as bound parameters (through
 * `values()`, `where(…, value)` and the like), which a check at compile time enforces.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

const MARKER = '\u0000pims-parameter:';

/** The compiled query with these values; run it with `executeQuery` or a `GroupCommit`. */
export type PreparedQuery<P, R> = (values: P) => CompiledQuery<R>;

export function prepareQuery<P extends Record<string, unknown>, R>(
  db: Kysely<Database>,
  names: readonly (keyof P & string)[],
  build: (values: P) => Compilable<R>,
): PreparedQuery<P, R> {
  const markers = Object.fromEntries(names.map((name) => [name, `${MARKER}${name}`])) as unknown as P;
  const compiled = build(markers).compile();
  if (compiled.sql.includes(MARKER)) {
    throw new Error('prepareQuery: a value was written into the SQL text instead of being bound');
  }
  // For each compiled parameter: the name of the value it takes, or a constant of the query itself.
  const slots = compiled.parameters.map((parameter): { name?: keyof P; constant?: unknown } =>
    typeof parameter === 'string' && parameter.startsWith(MARKER)
      ? { name: parameter.slice(MARKER.length) }
      : { constant: parameter },
  );
  const missing = names.filter((name) => !slots.some((slot) => slot.name === name));
  if (missing.length > 0) throw new Error(`prepareQuery: ${missing.join(', ')} not bound by the query`);

  return (values) => ({
    ...compiled,
    parameters: slots.map((slot) => (slot.name === undefined ? slot.constant : values[slot.name])),
  });
}
