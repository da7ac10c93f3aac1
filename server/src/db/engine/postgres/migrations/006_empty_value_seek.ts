import { sql, type Kysely } from 'kysely';

// PostgreSQL body of 006_empty_value_seek: a field's values in contact-id order (a seek deep into the contacts
// without a value counts whole id ranges on it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX contact_field_values_field_contact ON contact_field_values (field_id, contact_id)`.execute(db);
}
