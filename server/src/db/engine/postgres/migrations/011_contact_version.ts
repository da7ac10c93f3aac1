import { sql, type Kysely } from 'kysely';
import { displayPhone, handleName } from '../../../../domain/contact-rules.js';
import { runAll } from './sql.js';

// PostgreSQL body of 011_contact_version: the same columns and the same renames as SQLite's (a version per contact,
// merges' picks; display names of phone-only contacts as people read the number, of handle-only contacts by handle).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [`ALTER TABLE contacts ADD COLUMN version integer NOT NULL DEFAULT 1`, `ALTER TABLE merges ADD COLUMN pick text COLLATE "C"`]);
  const phones = await sql<{ id: string; phone: string; region: string }>`
    SELECT c.id, c.display_name AS phone, w.default_region AS region FROM contacts c JOIN workspaces w ON w.id = c.workspace_id
    WHERE c.display_name ~ '^\\+[0-9]' AND coalesce(c.first_name, '') = '' AND coalesce(c.last_name, '') = ''`.execute(db);
  for (const r of phones.rows) await sql`UPDATE contacts SET display_name = ${displayPhone(r.phone, r.region)} WHERE id = ${r.id}`.execute(db);
  const handles = await sql<{ id: string; channel: string; handle: string }>`
    SELECT c.id, h.channel, h.handle FROM contacts c JOIN contact_handles h ON h.contact_id = c.id
    WHERE c.display_name = '' ORDER BY h.created_at DESC, h.channel DESC`.execute(db);
  // Newest first, so the oldest handle of each contact is written last and wins.
  for (const r of handles.rows) await sql`UPDATE contacts SET display_name = ${handleName(r)} WHERE id = ${r.id}`.execute(db);
}
