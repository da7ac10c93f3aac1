import { sql, type Kysely } from 'kysely';

// What the contact table needs at a million contacts: custom-field sorts and position seeks that walk an index,
// and a per-workspace change counter so counts can be cached until something changes.
const COUNTED_TABLES = ['contacts', 'contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values', 'contact_followers', 'contact_dnd'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Custom text sorts are case-insensitive; (field_id, value_num) + the WITHOUT ROWID key already serves numbers.
    `CREATE INDEX contact_field_values_text_sort ON contact_field_values (field_id, value_text COLLATE NOCASE, contact_id)`,
    // Live contacts by id: the "no value" phase of a custom sort, and an index-only liveness check for the other.
    `CREATE INDEX contacts_ws_id ON contacts (workspace_id, id) WHERE deleted_at IS NULL`,
    `ALTER TABLE workspaces ADD COLUMN contacts_version INTEGER NOT NULL DEFAULT 0`,
    // Any write to a contact or its parts bumps the counter, whoever writes (routes, bulk, import, merge, CLI).
    ...COUNTED_TABLES.flatMap((t) =>
      (['INSERT', 'UPDATE', 'DELETE'] as const).map((event) => {
        const row = event === 'DELETE' ? 'OLD' : 'NEW';
        return `CREATE TRIGGER ${t}_version_${event.toLowerCase()} AFTER ${event} ON ${t} BEGIN
          UPDATE workspaces SET contacts_version = contacts_version + 1 WHERE id = ${row}.workspace_id; END`;
      }),
    ),
    // A renamed tag changes which contacts match a tag filter.
    `CREATE TRIGGER tags_version_rename AFTER UPDATE OF name ON tags BEGIN
      UPDATE workspaces SET contacts_version = contacts_version + 1 WHERE id = NEW.workspace_id; END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
