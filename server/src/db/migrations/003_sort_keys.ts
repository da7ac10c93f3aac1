import { sql, type Kysely } from 'kysely';

// Sort keys as (virtual) generated columns. A keyset page compares (key, id) as a row value; SQLite can seek an
// index with that only on plain columns, not on the expression / COLLATE indexes 002 made (deep pages scanned).
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // lower() folds ASCII like NOCASE did; the table sorts names case-insensitively.
    `ALTER TABLE contacts ADD COLUMN name_sort TEXT GENERATED ALWAYS AS (lower(display_name)) VIRTUAL`,
    // Never-contacted sorts as -1: first ascending, last descending.
    `ALTER TABLE contacts ADD COLUMN last_interaction_sort INTEGER GENERATED ALWAYS AS (coalesce(last_interaction_at, -1)) VIRTUAL`,
    `DROP INDEX IF EXISTS contacts_ws_name`,
    `DROP INDEX IF EXISTS contacts_ws_last`,
    `CREATE INDEX contacts_ws_name_sort ON contacts (workspace_id, name_sort, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_last_sort ON contacts (workspace_id, last_interaction_sort, id) WHERE deleted_at IS NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
