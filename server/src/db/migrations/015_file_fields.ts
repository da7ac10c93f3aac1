import { sql, type Kysely } from 'kysely';

// Custom fields of type `file`: the files are the contact's documents uploaded through the field (internal
// documents with `documents.field_key`, shown as the "Custom fields" folder), and the field's value is kept by
// triggers as the JSON list of those documents' ids (oldest first), names in value_text (sort, search) and their
// count in value_num. A deleted document leaves the value; restoring it brings it back; a merge moving documents
// moves them with it. The contact's version goes up with its value (readers holding the old one reload).

/** Recomputes the value of the file field `key` on `contact` (SQL expressions of the trigger row). */
const recompute = (row: 'NEW' | 'OLD') => `
  DELETE FROM contact_field_values WHERE contact_id = ${row}.contact_id
    AND field_id IN (SELECT id FROM custom_fields WHERE workspace_id = ${row}.workspace_id AND key = ${row}.field_key AND type = 'file');
  INSERT INTO contact_field_values (workspace_id, contact_id, field_id, value_json, value_text, value_num)
    SELECT f.workspace_id, d.contact_id, f.id, json_group_array(d.id ORDER BY d.created_at, d.id),
      group_concat(d.name, char(10) ORDER BY d.created_at, d.id), count(*)
    FROM custom_fields f JOIN documents d ON d.contact_id = ${row}.contact_id AND d.field_key = f.key AND d.deleted_at IS NULL
    WHERE f.workspace_id = ${row}.workspace_id AND f.key = ${row}.field_key AND f.type = 'file'
      AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = ${row}.contact_id)
    GROUP BY f.id;
  UPDATE contacts SET version = version + 1 WHERE id = ${row}.contact_id;`;

const COLUMNS = `id, workspace_id, key, label, type, options, position, created_at, updated_at`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite cannot alter a CHECK constraint: the table is rebuilt. With foreign keys off, dropping the old table
  // does not cascade to contact_field_values; the legacy rename keeps the views and triggers that name it as they are.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    const statements = [
      `BEGIN`,
      `CREATE TABLE custom_fields_new (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        label TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('text','number','date','select','multi_select','checkbox','url','file')),
        options TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (workspace_id, key)
      ) STRICT`,
      `INSERT INTO custom_fields_new (${COLUMNS}) SELECT ${COLUMNS} FROM custom_fields`,
      `DROP TABLE custom_fields`,
      `PRAGMA legacy_alter_table = ON`,
      `ALTER TABLE custom_fields_new RENAME TO custom_fields`,
      `PRAGMA legacy_alter_table = OFF`,
      `ALTER TABLE documents ADD COLUMN field_key TEXT`,
      `CREATE INDEX documents_field ON documents (contact_id, field_key) WHERE field_key IS NOT NULL`,
      `CREATE TRIGGER documents_field_ins AFTER INSERT ON documents WHEN NEW.field_key IS NOT NULL BEGIN ${recompute('NEW')} END`,
      `CREATE TRIGGER documents_field_upd AFTER UPDATE OF field_key, deleted_at, contact_id, name ON documents
        WHEN OLD.field_key IS NOT NULL OR NEW.field_key IS NOT NULL BEGIN ${recompute('OLD')} ${recompute('NEW')} END`,
      `CREATE TRIGGER documents_field_del AFTER DELETE ON documents WHEN OLD.field_key IS NOT NULL BEGIN ${recompute('OLD')} END`,
      `COMMIT`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(db);
    const broken = await sql`PRAGMA foreign_key_check`.execute(db);
    if (broken.rows.length) throw new Error(`015_file_fields: foreign keys broken: ${JSON.stringify(broken.rows.slice(0, 3))}`);
  } catch (err) {
    await sql`ROLLBACK`.execute(db).catch(() => undefined);
    throw err;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}
