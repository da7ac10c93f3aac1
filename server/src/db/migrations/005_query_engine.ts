import { sql, type Kysely } from 'kysely';

// What the contact table needs at a million contacts: custom-field sorts and position seeks that walk an index,
// and per-workspace counters kept by triggers: a change counter (cached counts are valid while it holds) and the
// live-contact total (an exact count of "everything" without reading a million index entries).
const PART_TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values', 'contact_followers', 'contact_dnd'];
const bump = (row: 'NEW' | 'OLD', live = '0') =>
  `UPDATE workspaces SET contacts_version = contacts_version + 1, live_contacts = live_contacts + ${live} WHERE id = ${row}.workspace_id;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // Custom text sorts are case-insensitive; (field_id, value_num) + the WITHOUT ROWID key already serves numbers.
    `CREATE INDEX contact_field_values_text_sort ON contact_field_values (field_id, value_text COLLATE NOCASE, contact_id)`,
    // Live contacts by id: the "no value" phase of a custom sort, and an index-only liveness check for the other.
    `CREATE INDEX contacts_ws_id ON contacts (workspace_id, id) WHERE deleted_at IS NULL`,
    `ALTER TABLE workspaces ADD COLUMN contacts_version INTEGER NOT NULL DEFAULT 0`,
    `ALTER TABLE workspaces ADD COLUMN live_contacts INTEGER NOT NULL DEFAULT 0`,
    `UPDATE workspaces SET live_contacts = (SELECT count(*) FROM contacts c WHERE c.workspace_id = workspaces.id AND c.deleted_at IS NULL)`,
    // Whoever writes (routes, bulk, import, merge, CLI), a contact or any of its parts changing bumps the counter.
    `CREATE TRIGGER contacts_version_insert AFTER INSERT ON contacts BEGIN ${bump('NEW', '(NEW.deleted_at IS NULL)')} END`,
    `CREATE TRIGGER contacts_version_delete AFTER DELETE ON contacts BEGIN ${bump('OLD', '-(OLD.deleted_at IS NULL)')} END`,
    `CREATE TRIGGER contacts_version_update AFTER UPDATE ON contacts BEGIN ${bump('OLD', '-(OLD.deleted_at IS NULL)')} ${bump('NEW', '(NEW.deleted_at IS NULL)')} END`,
    ...PART_TABLES.flatMap((t) => [
      `CREATE TRIGGER ${t}_version_insert AFTER INSERT ON ${t} BEGIN ${bump('NEW')} END`,
      `CREATE TRIGGER ${t}_version_update AFTER UPDATE ON ${t} BEGIN ${bump('NEW')} END`,
      `CREATE TRIGGER ${t}_version_delete AFTER DELETE ON ${t} BEGIN ${bump('OLD')} END`,
    ]),
    // A renamed tag changes which contacts match a tag filter.
    `CREATE TRIGGER tags_version_rename AFTER UPDATE OF name ON tags BEGIN ${bump('NEW')} END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
