// Hot reads built and compiled once, then run with new values: Kysely builds an operation tree and compiles it to
// SQL on every call, which costs more than the indexed lookup itself for the largest of our hot queries.
import { CompiledQuery, type Compilable } from 'kysely';
import { engineOf, type Db, type EngineKind } from './engine/index.js';

type Slot<P> = { param: P } | { value: unknown };

/**
 * Returns a runner of the query `build` makes, compiled once per engine. `build` receives placeholders for the
 * named parameters and must use each only as a plain value (`where(col, '=', p.id)`), never in a list, in SQL
 * text or in a condition chosen by it; everything else in the query must not depend on the values.
 */
export function compiledOnce<P extends string, R>(names: readonly P[], build: (db: Db, p: Record<P, string>) => Compilable<R>) {
  const cache = new Map<EngineKind, { sql: string; slots: Slot<P>[] }>();
  const compile = (db: Db) => {
    const marks = Object.fromEntries(names.map((n) => [n, `\u0000${n}\u0000`])) as Record<P, string>;
    const byMark = new Map<unknown, P>(names.map((n) => [marks[n], n]));
    const query = build(db, marks).compile();
    const slots = query.parameters.map((v): Slot<P> => (byMark.has(v) ? { param: byMark.get(v)! } : { value: v }));
    for (const n of names) if (!slots.some((s) => 'param' in s && s.param === n)) throw new Error(`compiledOnce: parameter ${n} is not used as a value`);
    return { sql: query.sql, slots };
  };
  return async (db: Db, values: Record<P, unknown>): Promise<R[]> => {
    const kind = engineOf(db).kind;
    let compiled = cache.get(kind);
    if (!compiled) cache.set(kind, (compiled = compile(db)));
    const parameters = compiled.slots.map((s) => ('param' in s ? values[s.param] : s.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters))).rows;
  };
}
