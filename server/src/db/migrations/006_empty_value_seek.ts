import { sql, type Kysely } from 'kysely';

// A field's values in contact-id order: counts how many contacts of an id range have a value, so a seek deep into
// a custom sort's contacts *without* a value skips whole ranges instead of testing each contact.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX contact_field_values_field_contact ON contact_field_values (field_id, contact_id)`.execute(db);
}
