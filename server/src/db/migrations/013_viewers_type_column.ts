import { sql, type Kysely } from 'kysely';

// The shipped "Viewers" view (migration 004) gains the viewer's Type column (Email / WhatsApp) after the name. Views a
// workspace edited since keep their own definition; new workspaces get the new one from the replaced trigger.
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

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `UPDATE saved_views SET definition = '${AFTER}' WHERE owner_member_id IS NULL AND name = 'Viewers' AND definition = '${BEFORE}'`,
    `DROP TRIGGER workspaces_viewers_view`,
    `CREATE TRIGGER workspaces_viewers_view AFTER INSERT ON workspaces BEGIN
      INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      VALUES ('vw_' || lower(hex(randomblob(16))), NEW.id, NULL, 'Viewers', 'workspace', '${AFTER}', NEW.created_at, NEW.created_at);
    END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
