// SQLite through better-sqlite3: one connection with the pragmas the server relies on (WAL, foreign keys, busy
// timeout), the search functions its triggers call, and a prepared-statement cache.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from '../../schema.js';
import { registerEngine } from '../index.js';
import type { Engine } from '../types.js';
import { sqliteBulk } from './bulk.js';
import { registerSearchFunctions } from './search-functions.js';
import { sqliteSearch } from './search.js';
import { sqliteCounters, sqliteJson, sqliteSampling, sqliteText } from './sql.js';
import { sqliteStreaming } from './stream.js';

export interface SqliteEngine extends Engine {
  kind: 'sqlite';
  /** The database file (export worker threads open their own connection to it); ':memory:' for none. */
  file: string;
  /** The raw handle, for bulk statements (bulk.ts) and exports; only ever used while holding Kysely's connection. */
  sqlite: Database.Database;
  /** The same handle with prepared statements reused by SQL text (what Kysely runs on). */
  statements: Database.Database;
}

/** Opens (or creates) the SQLite file with the pragmas the server relies on. */
export function openSqlite(file: string): { db: Kysely<Schema>; engine: SqliteEngine } {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  registerSearchFunctions(sqlite);
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: statements }) });
  const engine: SqliteEngine = {
    kind: 'sqlite',
    label: `SQLite ${file}`,
    file,
    sqlite,
    statements,
    search: sqliteSearch,
    text: sqliteText,
    json: sqliteJson,
    bulk: sqliteBulk(sqlite),
    sampling: sqliteSampling,
    counters: sqliteCounters,
    streaming: sqliteStreaming(sqlite),
    locks: { hold: async () => {}, exclusive: (_key, job) => job() },
  };
  registerEngine(db, engine);
  return { db, engine };
}

/**
 * Kysely prepares every query afresh; preparing is a large share of a small query's cost here (an INSERT also
 * compiles the search-index triggers). Reuse prepared statements by SQL text. Safe because the one connection
 * runs one query at a time and nothing uses Kysely's .stream() (which would keep a statement busy).
 */
function withStatementCache(sqlite: Database.Database, max = 500): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source); // re-insert: most recently used last
    } else {
      statement = sqlite.prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  };
  return new Proxy(sqlite, { get: (target, key) => (key === 'prepare' ? prepare : Reflect.get(target, key, target)) });
}
