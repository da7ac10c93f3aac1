import { sql, type Kysely } from 'kysely';

// A copy of each contact's list values on its own row (`contacts.cells`, JSON), kept by triggers, so a CSV export
// reads one row per contact instead of seeking four child indexes keyed by random ids (~7 B-tree seeks a row).
// Shape: { e: emails by position, pe: primary email, p: phones, pp: primary phone, t: tag ids, c: { fieldId: value } }.
// Like the search index, inserts skip the per-row refresh while a bulk load has search paused (search-doc.ts).

/** The cells JSON of the contact whose id is the SQL expression `id`. */
export const cellsOf = (id: string) => {
  const list = (table: string) => `(SELECT json_group_array(value ORDER BY position) FROM ${table} WHERE contact_id = ${id})`;
  const primary = (table: string) =>
    `coalesce((SELECT value FROM ${table} WHERE contact_id = ${id} AND is_primary = 1 ORDER BY position LIMIT 1), (SELECT value FROM ${table} WHERE contact_id = ${id} ORDER BY position LIMIT 1))`;
  return `json_object('e', ${list('contact_emails')}, 'pe', ${primary('contact_emails')}, 'p', ${list('contact_phones')}, 'pp', ${primary('contact_phones')},
    't', (SELECT json_group_array(tag_id) FROM contact_tags WHERE contact_id = ${id}),
    'c', (SELECT json_group_object(field_id, json(value_json)) FROM contact_field_values WHERE contact_id = ${id}))`;
};
const refresh = (id: string) => `UPDATE contacts SET cells = ${cellsOf(id)} WHERE id = ${id};`;
const TABLES = ['contact_emails', 'contact_phones', 'contact_tags', 'contact_field_values'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE contacts ADD COLUMN cells TEXT`,
    ...TABLES.flatMap((t) => [
      `CREATE TRIGGER ${t}_cells_ins AFTER INSERT ON ${t} WHEN dossier_search_live() BEGIN ${refresh('NEW.contact_id')} END`,
      `CREATE TRIGGER ${t}_cells_del AFTER DELETE ON ${t} BEGIN ${refresh('OLD.contact_id')} END`,
      `CREATE TRIGGER ${t}_cells_upd AFTER UPDATE ON ${t} BEGIN ${refresh('OLD.contact_id')} ${refresh('NEW.contact_id')} END`,
    ]),
    `UPDATE contacts SET cells = ${cellsOf('contacts.id')}`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
