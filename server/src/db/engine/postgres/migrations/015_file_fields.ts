import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 015_file_fields: custom fields of type `file` (the CHECK is replaced in place; SQLite rebuilds
// the table), documents.field_key, and triggers that keep a file field's value — the JSON list of its live
// documents' ids (oldest first), their names in value_text (one a line) and their count in value_num — and bump
// the contact's version with it, through delete, restore, rename, moves and merges, as SQLite's do.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `ALTER TABLE custom_fields DROP CONSTRAINT custom_fields_type_check`,
    `ALTER TABLE custom_fields ADD CONSTRAINT custom_fields_type_check CHECK (type IN ('text','number','date','select','multi_select','checkbox','url','file'))`,
    `ALTER TABLE documents ADD COLUMN field_key ${T}`,
    `CREATE INDEX documents_field ON documents (contact_id, field_key) WHERE field_key IS NOT NULL`,
    `CREATE FUNCTION dossier_file_field_recompute(p_ws text, p_contact text, p_key text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM contact_field_values WHERE contact_id = p_contact
        AND field_id IN (SELECT f.id FROM custom_fields f WHERE f.workspace_id = p_ws AND f.key = p_key AND f.type = 'file');
      INSERT INTO contact_field_values (workspace_id, contact_id, field_id, value_json, value_text, value_num)
        SELECT f.workspace_id, d.contact_id, f.id, '[' || string_agg(to_json(d.id)::text, ',' ORDER BY d.created_at, d.id) || ']',
          string_agg(d.name, E'\\n' ORDER BY d.created_at, d.id), count(*)
        FROM custom_fields f JOIN documents d ON d.contact_id = p_contact AND d.field_key = f.key AND d.deleted_at IS NULL
        WHERE f.workspace_id = p_ws AND f.key = p_key AND f.type = 'file'
          AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = p_contact)
        GROUP BY f.id, f.workspace_id, d.contact_id;
      UPDATE contacts SET version = version + 1 WHERE id = p_contact;
    END $$`,
    `CREATE FUNCTION dossier_documents_field() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- As SQLite's triggers: an update recomputes the old and the new place (each bumping its contact's version).
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dossier_file_field_recompute(OLD.workspace_id, OLD.contact_id, OLD.field_key);
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM dossier_file_field_recompute(NEW.workspace_id, NEW.contact_id, NEW.field_key);
      END IF;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER documents_field_ins AFTER INSERT ON documents FOR EACH ROW WHEN (NEW.field_key IS NOT NULL)
      EXECUTE FUNCTION dossier_documents_field()`,
    `CREATE TRIGGER documents_field_upd AFTER UPDATE OF field_key, deleted_at, contact_id, name ON documents FOR EACH ROW
      WHEN (OLD.field_key IS NOT NULL OR NEW.field_key IS NOT NULL) EXECUTE FUNCTION dossier_documents_field()`,
    `CREATE TRIGGER documents_field_del AFTER DELETE ON documents FOR EACH ROW WHEN (OLD.field_key IS NOT NULL)
      EXECUTE FUNCTION dossier_documents_field()`,
  ]);
}
