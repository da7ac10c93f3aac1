import { sql, type Kysely } from 'kysely';

/** Text that compares and sorts by bytes, as SQLite's BINARY collation does, whatever the database's locale. */
export const T = 'text COLLATE "C"';

/** Runs DDL statements in order (the migrator wraps a migration in a transaction). */
export async function runAll(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** True while a bulk load has asked the triggers to skip per-row index upkeep (engine/postgres/bulk.ts). */
export const BULK_LOADING = `coalesce(current_setting('dossier.bulk_load', true), '') = 'on'`;
