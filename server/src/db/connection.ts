// Opening the database: PostgreSQL when DATABASE_URL (postgres://…) is set, else SQLite in a file. Both engines
// run the same Kysely code; what differs lives in db/engine/ (engineOf(db) finds it).
import { sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { engineOf, type DbEngine } from './engine/index.js';
import { openPostgres } from './engine/postgres/open.js';
import { openSqlite } from './engine/sqlite/open.js';
import type { Db } from './engine/types.js';
import { migrationsFor } from './migrations/index.js';

export type { Db } from './engine/types.js';

export interface OpenedDb {
  db: Db;
  engine: DbEngine;
}

export const isPostgresUrl = (url: string | undefined): url is string => Boolean(url && /^postgres(ql)?:\/\//.test(url));

/** Opens (or creates) the SQLite file with the pragmas the server relies on. */
export function openDb(file: string): OpenedDb {
  return openSqlite(file);
}

/** PostgreSQL at `url` (postgres://…), else SQLite in `file`. */
export function openDatabase(opts: { url?: string; file: string }): OpenedDb {
  return isPostgresUrl(opts.url) ? openPostgres(opts.url) : openSqlite(opts.file);
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrate(db: Db): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(engineOf(db).kind) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  // New indexes need planner statistics, or SQLite may sort a million rows through the wrong one. A full
  // ANALYZE (sampled stats with analysis_limit misled the planner at a million rows); it runs only after migrating.
  if (results?.some((r) => r.status === 'Success')) await sql`ANALYZE`.execute(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
