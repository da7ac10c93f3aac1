import type { Kysely } from 'kysely';
import { runAll } from './sql.js';

// PostgreSQL body of 013_viewers_type_column: the shipped "Viewers" view gains the Type column; the trigger function
// that gives new workspaces the view is replaced (views a workspace edited keep their own definition).
const BEFORE = JSON.stringify({
  filter: { field: 'shareLink', op: 'is_not_empty' },
  columns: ['name', 'email', 'phone', 'lastAccessedAt', 'accessCount', 'source'],
  sort: { field: 'lastAccessedAt', dir: 'desc' },
});
const AFTER = JSON.stringify({
  filter: { field: 'shareLink', op: 'is_not_empty' },
  columns: ['name', 'viewerType', 'email', 'phone', 'lastAccessedAt', 'accessCount', 'source'],
  sort: { field: 'lastAccessedAt', dir: 'desc' },
});
/** 'vw_' and 32 hex digits, like SQLite's lower(hex(randomblob(16))). */
const VIEW_ID = `'vw_' || md5(random()::text || clock_timestamp()::text)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `UPDATE saved_views SET definition = '${AFTER}' WHERE owner_member_id IS NULL AND name = 'Viewers' AND definition = '${BEFORE}'`,
    `CREATE OR REPLACE FUNCTION dossier_workspace_viewers_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      VALUES (${VIEW_ID}, NEW.id, NULL, 'Viewers', 'workspace', '${AFTER}', NEW.created_at, NEW.created_at);
      RETURN NULL;
    END $$`,
  ]);
}
