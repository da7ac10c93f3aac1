// Finds the engine of any Kysely instance the app uses — the database, a transaction on it, or a connection
// from db.connection() — without threading it through every function: they all share the dialect adapter the
// database was created with, and openDatabase() registers the engine under that adapter.
import type { Kysely } from 'kysely';
import type { PostgresEngine } from './postgres/open.js';
import type { SqliteEngine } from './sqlite/open.js';

export type { BulkLoad, Counters, Db, Engine, EngineKind, JsonAccess, Locks, OrderedQuery, RawRow, RowStreaming, Sampling, SearchIndex, SearchTerms, TextOps } from './types.js';

/** The engine of an open database: which one it is (`kind`) tells the rest apart. */
export type DbEngine = SqliteEngine | PostgresEngine;

const engines = new WeakMap<object, DbEngine>();

/** Kysely keeps one adapter per instance and passes it on to its transactions and connections. */
const adapterOf = (db: Kysely<any>) => db.getExecutor().adapter;

export function registerEngine(db: Kysely<any>, engine: DbEngine): void {
  engines.set(adapterOf(db), engine);
}

export function engineOf(db: Kysely<any>): DbEngine {
  const engine = engines.get(adapterOf(db));
  if (!engine) throw new Error('This Kysely instance was not opened by openDatabase().');
  return engine;
}

/**
 * A write broke a unique key: two requests raced to create the same thing (PostgreSQL runs them in parallel, after
 * both passed the route's own check). SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; PostgreSQL: SQLSTATE 23505.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
