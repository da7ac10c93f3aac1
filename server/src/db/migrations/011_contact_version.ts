import { sql, type Kysely } from 'kysely';
import { displayPhone, handleName } from '../../domain/contact-rules.js';

// A version on each contact, bumped by every write that changes it (in the store, so bulk paths bump once per
// contact and the cells / counter triggers of 005 and 007 do not fire a second time): a client sends it back with a
// patch of a list field, and a stale one is refused (409 version_conflict) instead of overwriting a newer list.
// Merges keep the picks they were made with, so splitting one contact off replays the merge of the others.
// Display names show a phone as people read it ("(415) 555-0199", not "+14155550199"), and contacts known only by a
// channel handle are named by it ("@jane.doe · Instagram"), for the API's `name`, sorting and search alike.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1`.execute(db);
  await sql`ALTER TABLE merges ADD COLUMN pick TEXT`.execute(db);
  const phones = await sql<{ id: string; phone: string; region: string }>`
    SELECT c.id, c.display_name AS phone, w.default_region AS region FROM contacts c JOIN workspaces w ON w.id = c.workspace_id
    WHERE c.display_name GLOB '+[0-9]*' AND coalesce(c.first_name, '') = '' AND coalesce(c.last_name, '') = ''`.execute(db);
  for (const r of phones.rows) await sql`UPDATE contacts SET display_name = ${displayPhone(r.phone, r.region)} WHERE id = ${r.id}`.execute(db);
  const handles = await sql<{ id: string; channel: string; handle: string }>`
    SELECT c.id, h.channel, h.handle FROM contacts c JOIN contact_handles h ON h.contact_id = c.id
    WHERE c.display_name = '' ORDER BY h.created_at DESC, h.channel DESC`.execute(db);
  // Newest first, so the oldest handle of each contact is written last and wins.
  for (const r of handles.rows) await sql`UPDATE contacts SET display_name = ${handleName(r)} WHERE id = ${r.id}`.execute(db);
}
