import type { Kysely } from 'kysely';
import { runAll } from './sql.js';

// PostgreSQL body of 003_sort_keys: the table's sort keys as stored generated columns, each with a
// (workspace, key, id) index over live contacts, so a keyset page's (key, id) row comparison seeks the index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    // lower() under the "C" collation folds ASCII only, as SQLite's does.
    `ALTER TABLE contacts ADD COLUMN name_sort text COLLATE "C" GENERATED ALWAYS AS (lower(display_name)) STORED`,
    // Never-contacted sorts as -1: first ascending, last descending.
    `ALTER TABLE contacts ADD COLUMN last_interaction_sort bigint GENERATED ALWAYS AS (coalesce(last_interaction_at, -1)) STORED`,
    `CREATE INDEX contacts_ws_name_sort ON contacts (workspace_id, name_sort, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_last_sort ON contacts (workspace_id, last_interaction_sort, id) WHERE deleted_at IS NULL`,
  ]);
}
