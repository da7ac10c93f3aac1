import type { Kysely } from 'kysely';
import { CONTACT_CHANNEL_KEYS } from '../../../migrations/012_contact_channels.js';
import { BULK_LOADING, runAll, T } from './sql.js';

// PostgreSQL body of 012_contact_channels: `contacts.channels` (the channels a contact is reachable on or was in
// touch through: keys separated by spaces, sorted), and the search words gain number custom values and the
// channels ("web chat", "calls" as people type them). The channels are computed by the index refresh of 002
// (replaced here), which every change of emails, phones, tags and custom values already runs, before the words that
// read them; handles, messages and the last channel run it too. Like the rest of the refresh, inserts skip it
// while a bulk load has paused indexing, and the load's one pass after it fills the channels of its contacts.
const IN_CHANNELS = `(${CONTACT_CHANNEL_KEYS.map((c) => `'${c}'`).join(', ')})`;

const agg = (table: string, words: string) => `(SELECT contact_id, ${words} AS words, jsonb_agg(value ORDER BY position) AS list,
      coalesce((array_agg(value ORDER BY position) FILTER (WHERE is_primary = 1))[1], (array_agg(value ORDER BY position))[1]) AS main
    FROM ${table} WHERE contact_id = ANY(contact_ids) GROUP BY contact_id)`;
/** Number custom values as a person types them: 30154, not 30154.0. */
const NUMBER_TEXT = `CASE WHEN fv.value_num = trunc(fv.value_num) THEN trunc(fv.value_num)::numeric::text ELSE fv.value_num::text END`;

const FUNCTIONS = [
  // SQLite's channelsOf (migrations/012_contact_channels.ts), the same sources in the same order.
  `CREATE FUNCTION dossier_channels_of(cid text, last_channel text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(ch, ' ' ORDER BY ch COLLATE "C"), '') FROM (
      SELECT 'email'::text AS ch WHERE EXISTS (SELECT 1 FROM contact_emails WHERE contact_id = cid)
      UNION SELECT 'sms' WHERE EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = cid)
      UNION SELECT 'call' WHERE EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = cid)
      UNION SELECT channel FROM activities WHERE contact_id = cid AND channel IN ${IN_CHANNELS}
      UNION SELECT channel FROM contact_handles WHERE contact_id = cid AND channel IN ${IN_CHANNELS}
      UNION SELECT last_channel WHERE last_channel IN ${IN_CHANNELS}
    ) AS chs
  $$`,
  // 002's refresh, with the channels first (a contact's row is written only when they changed) and read by the words.
  `CREATE OR REPLACE FUNCTION dossier_index_refresh(contact_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE contacts c SET channels = n.channels
      FROM (SELECT c2.id, dossier_channels_of(c2.id, c2.last_channel) AS channels FROM contacts c2 WHERE c2.id = ANY(contact_ids)) n
      WHERE c.id = n.id AND c.channels IS DISTINCT FROM n.channels;
    WITH parts AS (SELECT c.id, c.workspace_id,
      dossier_search_words(concat_ws(' ', c.first_name, c.last_name, c.display_name, c.company_name, e.words, t.words, v.words,
        nullif(c.channels, ''), CASE WHEN strpos(c.channels, 'webchat') > 0 THEN 'web chat' END,
        CASE WHEN strpos(c.channels, 'call') > 0 THEN 'calls' END)) AS words,
      coalesce(p.words, '') AS phones,
      jsonb_build_object('e', coalesce(e.list, '[]'::jsonb), 'pe', e.main, 'p', coalesce(p.list, '[]'::jsonb), 'pp', p.main,
        't', coalesce(t.tag_ids, '[]'::jsonb), 'c', coalesce(v.cells, '{}'::jsonb)) AS cells
    FROM contacts c
    LEFT JOIN ${agg('contact_emails', `string_agg(value, ' ')`)} e ON e.contact_id = c.id
    LEFT JOIN ${agg('contact_phones', `string_agg(regexp_replace(value, '[^0-9]', '', 'g'), ' ')`)} p ON p.contact_id = c.id
    LEFT JOIN (SELECT ct.contact_id, string_agg(tg.name::text, ' ') AS words, jsonb_agg(ct.tag_id ORDER BY ct.tag_id) AS tag_ids
      FROM contact_tags ct JOIN tags tg ON tg.id = ct.tag_id WHERE ct.contact_id = ANY(contact_ids) GROUP BY ct.contact_id) t ON t.contact_id = c.id
    LEFT JOIN (SELECT fv.contact_id,
        string_agg(CASE WHEN f.type = 'number' THEN ${NUMBER_TEXT} ELSE fv.value_text END, ' ')
          FILTER (WHERE f.type IN ('text','url','select','multi_select','number')) AS words,
        jsonb_object_agg(fv.field_id, fv.value_json::jsonb) AS cells
      FROM contact_field_values fv JOIN custom_fields f ON f.id = fv.field_id WHERE fv.contact_id = ANY(contact_ids) GROUP BY fv.contact_id) v ON v.contact_id = c.id
    WHERE c.id = ANY(contact_ids)),
    searched AS (INSERT INTO contact_search (contact_id, workspace_id, words, phones) SELECT id, workspace_id, words, phones FROM parts
      ON CONFLICT (contact_id) DO UPDATE SET words = excluded.words, phones = excluded.phones
      WHERE (contact_search.words, contact_search.phones) IS DISTINCT FROM (excluded.words, excluded.phones))
    INSERT INTO contact_cells (contact_id, cells) SELECT id, cells FROM parts
      ON CONFLICT (contact_id) DO UPDATE SET cells = excluded.cells WHERE contact_cells.cells IS DISTINCT FROM excluded.cells;
  END $$`,
  // Handles of some contacts changed: their channels (and so their words) again. Inserts skip during a bulk load.
  `CREATE FUNCTION dossier_channels_handles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NOT ${BULK_LOADING} THEN PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT contact_id FROM added)); END IF;
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT contact_id FROM removed));
    ELSE
      PERFORM dossier_index_refresh(ARRAY(SELECT contact_id FROM removed UNION SELECT contact_id FROM added));
    END IF;
    RETURN NULL;
  END $$`,
  // Messages and views: most inserts are on a channel the contact already has, and change nothing.
  `CREATE FUNCTION dossier_channels_activities_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NOT ${BULK_LOADING} THEN
        PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT a.contact_id FROM added a JOIN contacts c ON c.id = a.contact_id
          WHERE a.channel IN ${IN_CHANNELS} AND strpos(' ' || c.channels || ' ', ' ' || a.channel || ' ') = 0));
      END IF;
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM dossier_index_refresh(ARRAY(SELECT DISTINCT contact_id FROM removed WHERE channel IN ${IN_CHANNELS}));
    ELSE
      PERFORM dossier_index_refresh(ARRAY(SELECT r.contact_id FROM removed r JOIN added a USING (id)
        WHERE r.contact_id IS DISTINCT FROM a.contact_id OR r.channel IS DISTINCT FROM a.channel
        UNION SELECT a.contact_id FROM removed r JOIN added a USING (id)
        WHERE r.contact_id IS DISTINCT FROM a.contact_id OR r.channel IS DISTINCT FROM a.channel));
    END IF;
    RETURN NULL;
  END $$`,
];

const TRIGGERS = [
  `CREATE TRIGGER contact_handles_channels_ins AFTER INSERT ON contact_handles REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_handles_changed()`,
  `CREATE TRIGGER contact_handles_channels_del AFTER DELETE ON contact_handles REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_handles_changed()`,
  `CREATE TRIGGER contact_handles_channels_upd AFTER UPDATE ON contact_handles REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_handles_changed()`,
  `CREATE TRIGGER activities_channels_ins AFTER INSERT ON activities REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_activities_changed()`,
  `CREATE TRIGGER activities_channels_del AFTER DELETE ON activities REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_activities_changed()`,
  `CREATE TRIGGER activities_channels_upd AFTER UPDATE ON activities REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_channels_activities_changed()`,
  // The last channel is one of the channels (002's renamed-contact function refreshes one contact).
  `CREATE TRIGGER contacts_channels_last AFTER UPDATE OF last_channel ON contacts FOR EACH ROW
    WHEN (OLD.last_channel IS DISTINCT FROM NEW.last_channel) EXECUTE FUNCTION dossier_index_contact_renamed()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `ALTER TABLE contacts ADD COLUMN channels ${T} NOT NULL DEFAULT ''`,
    // A contact's messages by channel: the channels of one contact are looked up through it.
    `CREATE INDEX activities_contact_channel ON activities (contact_id, channel)`,
    ...FUNCTIONS,
    ...TRIGGERS,
    // Every contact's channels and words again, in one pass.
    `SELECT dossier_index_refresh(ARRAY(SELECT id FROM contacts))`,
  ]);
}
