import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import type { Database as Schema } from './schema.js';
import { migrations } from './migrations/index.js';
import { registerSearchFunctions } from './search-doc.js';

export type Db = Kysely<Schema>;

export interface OpenedDb {
  db: Db;
  /** The raw handle, for bulk work (seeding, streaming exports) that wants prepared statements. */
  sqlite: Database.Database;
}

/** Opens (or creates) the SQLite file with the pragmas the server relies on. */
export function openDb(file: string): OpenedDb {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  registerSearchFunctions(sqlite);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
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

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  // New indexes need planner statistics, or SQLite may sort a million rows through the wrong one. A full
  // ANALYZE (sampled stats with analysis_limit misled the planner at a million rows); it runs only after migrating.
  if (results?.some((r) => r.status === 'Success')) await sql`ANALYZE`.execute(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
