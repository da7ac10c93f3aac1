import type { Kysely } from 'kysely';
import { BULK_LOADING, runAll } from './sql.js';

// PostgreSQL body of 007_contact_cells: a copy of each contact's list values on its own row (`contacts.cells`,
// jsonb here), kept by triggers, for the CSV export. Same shape as SQLite's: { e: emails by position, pe: primary
// email, p: phones, pp: primary phone, t: tag ids, c: { fieldId: value } }. Also the step that indexes the
// contacts a bulk load noted (engine/postgres/bulk.ts): search words and cells, a batch at a time.
const list = (table: string) => `coalesce((SELECT jsonb_agg(x.value ORDER BY x.position) FROM ${table} x WHERE x.contact_id = c.id), '[]'::jsonb)`;
const primary = (table: string) =>
  `coalesce((SELECT x.value FROM ${table} x WHERE x.contact_id = c.id AND x.is_primary = 1 ORDER BY x.position LIMIT 1), (SELECT x.value FROM ${table} x WHERE x.contact_id = c.id ORDER BY x.position LIMIT 1))`;

const PART_TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `ALTER TABLE contacts ADD COLUMN cells jsonb`,
    `CREATE FUNCTION dossier_cells_refresh(ids text[]) RETURNS void LANGUAGE sql AS $$
      UPDATE contacts c SET cells = jsonb_build_object(
        'e', ${list('contact_emails')}, 'pe', ${primary('contact_emails')},
        'p', ${list('contact_phones')}, 'pp', ${primary('contact_phones')},
        't', coalesce((SELECT jsonb_agg(ct.tag_id ORDER BY ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = c.id), '[]'::jsonb),
        'c', coalesce((SELECT jsonb_object_agg(v.field_id, v.value_json::jsonb) FROM contact_field_values v WHERE v.contact_id = c.id), '{}'::jsonb))
      WHERE c.id = ANY(ids)
    $$`,
    `CREATE FUNCTION dossier_cells_parts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NOT ${BULK_LOADING} THEN PERFORM dossier_cells_refresh(ARRAY(SELECT DISTINCT contact_id FROM added)); END IF;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM dossier_cells_refresh(ARRAY(SELECT DISTINCT contact_id FROM removed));
      ELSE
        PERFORM dossier_cells_refresh(ARRAY(SELECT contact_id FROM removed UNION SELECT contact_id FROM added));
      END IF;
      RETURN NULL;
    END $$`,
    ...PART_TABLES.flatMap((t) => [
      `CREATE TRIGGER ${t}_cells_ins AFTER INSERT ON ${t} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_cells_parts_changed()`,
      `CREATE TRIGGER ${t}_cells_del AFTER DELETE ON ${t} REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION dossier_cells_parts_changed()`,
      `CREATE TRIGGER ${t}_cells_upd AFTER UPDATE ON ${t} REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_cells_parts_changed()`,
    ]),
    `SELECT dossier_cells_refresh(ARRAY(SELECT id FROM contacts))`,
    // Takes up to \`batch\` contact ids a paused bulk load noted and indexes them; answers how many it took.
    `CREATE FUNCTION dossier_index_bulk_added(batch int) RETURNS int LANGUAGE plpgsql AS $$
    DECLARE
      ids text[];
    BEGIN
      WITH taken AS (
        DELETE FROM dossier_bulk_added WHERE ctid = ANY(ARRAY(SELECT ctid FROM dossier_bulk_added LIMIT batch)) RETURNING id
      ) SELECT array_agg(id) INTO ids FROM taken;
      IF ids IS NULL THEN RETURN 0; END IF;
      PERFORM dossier_search_refresh(ids);
      PERFORM dossier_cells_refresh(ids);
      RETURN cardinality(ids);
    END $$`,
  ]);
}
