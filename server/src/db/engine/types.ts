// What differs between the two database engines, as small interfaces with one implementation per engine
// (engine/sqlite/*, engine/postgres/*). Everything else is shared Kysely code; shared code reaches the engine of a
// connection or transaction through engineOf(db) (engine/index.ts).
import type { Expression, Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Database } from '../schema.js';

export type Db = Kysely<Database>;
export type EngineKind = 'sqlite' | 'postgres';

/** What a search text means to the engine's index; `key` identifies it (cached counts). */
export interface SearchTerms {
  key: string;
}

/** The full-text index over contacts: SQLite FTS5 (migration 002), PostgreSQL tsvector + pg_trgm (postgres/migrations). */
export interface SearchIndex {
  /** Tokens AND-ed, each a prefix; a phone-looking text becomes digits. Null when there is nothing to search for. */
  parse(q: string): SearchTerms | null;
  /** How many contacts match, counting at most `limit` (all when omitted). */
  countHits(db: Db, workspaceId: string, terms: SearchTerms, limit?: number): Promise<number>;
  /**
   * About how many match, cheaply: SQLite counts (up to `cap`), PostgreSQL asks its planner (table statistics;
   * counting means visiting every hit's row there). Decides whether a search is driven from its hits.
   */
  estimateHits(db: Db, workspaceId: string, terms: SearchTerms, cap?: number): Promise<number>;
  /**
   * The condition on `contacts`. `few`: the hits are few, so the query is driven from them; otherwise the sort
   * index is walked and each row tested, so a first page stops early.
   */
  matches(terms: SearchTerms, workspaceId: string, few: boolean): Expression<SqlBool>;
  /** The contact is among the first `n` hits (a sample, for estimates). */
  amongFirstHits(terms: SearchTerms, workspaceId: string, n: number): Expression<SqlBool>;
}

/** Text comparisons the way SQLite does them for ASCII: case-insensitive equality, LIKE, and sorts. */
export interface TextOps {
  equalsCaseless(expr: Expression<unknown>, value: string): RawBuilder<SqlBool>;
  /** LIKE with `\` as the escape character, case-insensitive (SQLite's LIKE; ILIKE on PostgreSQL). */
  like(expr: Expression<unknown>, pattern: string): RawBuilder<SqlBool>;
  /** A case-insensitive sort on `key`: what to ORDER BY, what to compare a keyset bound with, and the bound. */
  caselessSort(key: RawBuilder<unknown>): { order: RawBuilder<unknown>; compared: RawBuilder<unknown>; bound(value: unknown): RawBuilder<unknown> };
  /** `expr` with index use on it discouraged (SQLite's unary +); unchanged where the planner needs no hint. */
  unindexed(expr: RawBuilder<unknown>): RawBuilder<unknown>;
  /** The smaller / larger of two values (SQLite's scalar min/max, PostgreSQL's least/greatest). */
  least(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<number>;
  greatest(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<number>;
  /** The values of `expr` over a group's rows, in `order`, joined by `separator` (SQLite's group_concat, PostgreSQL's string_agg). */
  joined(expr: Expression<unknown>, separator: string, order: Expression<unknown>): RawBuilder<string | null>;
  /** Orders rows of `alias` as they were inserted (ties of the same millisecond): SQLite's rowid, a sequence on PostgreSQL. */
  insertOrder(alias: string): RawBuilder<number>;
}

/** JSON stored as text (SQLite) or jsonb/text (PostgreSQL). Paths are lists of keys. */
export interface JsonAccess {
  /** The text value at `path` (null when absent). */
  text(column: RawBuilder<unknown> | string, path: string[]): RawBuilder<unknown>;
  /** A FROM item with one row per element of the JSON array in `column`, as text in `<alias>.value`. */
  eachText(column: RawBuilder<unknown> | string, alias: string): RawBuilder<unknown>;
  /**
   * The export cells of the contact (`contacts` in scope) at `paths`, as one JSON array (read as one value: a
   * parsed array, or JSON text of one): SQLite's `contacts.cells`, PostgreSQL's `contact_cells.cells`.
   */
  cells(paths: string[][]): RawBuilder<unknown>;
  /**
   * The rows of `rows` as JSON text: an array with one array of `columns` per row, in the subquery's order (`[]`
   * for none). Lets one statement read a parent row with its children (SQLite's json_group_array, json_agg).
   */
  rowsOf(rows: Expression<unknown>, columns: string[]): RawBuilder<string>;
}

/** Bulk loads (seed, import, tests): fast multi-row inserts and per-row index upkeep paused. */
export interface BulkLoad {
  /** Inserts rows (objects with the same keys): prepared statements on SQLite, multi-row INSERTs on PostgreSQL. */
  insert(db: Db, table: keyof Database, rows: Record<string, unknown>[]): Promise<void>;
  /**
   * Runs `load` with the per-row search index and `contacts.cells` upkeep off, then builds both for the contacts
   * it inserted, in one pass. `load` gets the connection (or transaction) to write through.
   */
  paused<T>(db: Db, load: (db: Db) => Promise<T>): Promise<T>;
}

/** Counting estimates that sample rows of the contacts table. */
export interface Sampling {
  /** Of a fixed sample of the workspace's live contacts, how many `matching` (a query over `contacts`) keeps. */
  matchRate(db: Db, workspaceId: string, matching: () => SelectQueryBuilder<Database, 'contacts', {}>): Promise<{ sampled: number; matched: number }>;
}

/** A query of the rows of one run of an export's order after `from` (all of them without), selecting id, sort key, then values. */
export type OrderedQuery = (from?: { v: string | number; id: string }) => SelectQueryBuilder<any, any, any>;
/** Rows as arrays: id, sort key, then the selected values. */
export type RawRow = [string, string | number, ...unknown[]];

/** Streams an export's rows: SQLite by keyset chunks on the raw handle, PostgreSQL through a server-side cursor. */
export interface RowStreaming {
  /** Every row of `queries`, one query after the other, in chunks of about `chunk` rows, at flat memory. */
  rows(db: Db, queries: OrderedQuery[], chunk: number): AsyncGenerator<RawRow[]>;
}

/** The per-workspace change version (cached counts hold while it does) and live-contact total (migration 005). */
export interface Counters {
  read(db: Db, workspaceId: string): Promise<{ version: number; total: number }>;
}

/** Keeps concurrent writers apart where a uniqueness rule is not the database's (a contact per sender address). */
export interface Locks {
  /**
   * Holds locks on `keys` until `trx` ends: PostgreSQL transaction-scoped advisory locks, taken in key order so two
   * holders cannot deadlock; nothing on SQLite, which runs one transaction at a time anyway.
   */
  hold(trx: Db, keys: string[]): Promise<void>;
  /**
   * Runs `job` unless another process runs the job of that `key` right now (then answers null at once): a PostgreSQL
   * session advisory lock held on a pooled connection while `job` runs (released if the process dies); SQLite,
   * served by one process, always runs it. For background work every process schedules (purges, collection).
   */
  exclusive<T>(key: string, job: () => Promise<T>): Promise<T | null>;
}

export interface Engine {
  kind: EngineKind;
  /** For logs: the engine and the database (file, or host/port/name), never a password. */
  label: string;
  search: SearchIndex;
  text: TextOps;
  json: JsonAccess;
  bulk: BulkLoad;
  sampling: Sampling;
  counters: Counters;
  streaming: RowStreaming;
  locks: Locks;
}
