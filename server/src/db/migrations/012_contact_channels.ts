import { sql, type Kysely } from 'kysely';

// The channels a contact is reachable on or was in touch through, kept on its row (`contacts.channels`, keys
// separated by spaces, sorted) by triggers, so the table's channel filter tests one column instead of four child
// tables, and search finds contacts by channel ("whatsapp", "email"). The search document also gains number custom
// field values ("30154") and the channels (with "web chat" and "calls" as people type them).
// Like the search index and the export cells, inserts skip the per-row refresh while a bulk load has search paused.

/** Every channel a contact can have, in the order the filter offers them (domain/channels.ts names them). */
export const CONTACT_CHANNEL_KEYS = ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call', 'webchat'];
const IN_CHANNELS = `(${CONTACT_CHANNEL_KEYS.map((c) => `'${c}'`).join(', ')})`;

/**
 * The channels of the contact whose id is the SQL expression `id` and last channel `lastChannel`: email with an
 * address, SMS and calls with a phone number, and any channel of its messages and views, handles and last interaction.
 */
export const channelsOf = (id: string, lastChannel: string) => `coalesce((SELECT group_concat(ch, ' ') FROM (
    SELECT 'email' AS ch WHERE EXISTS (SELECT 1 FROM contact_emails WHERE contact_id = ${id})
    UNION SELECT 'sms' WHERE EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = ${id})
    UNION SELECT 'call' WHERE EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = ${id})
    UNION SELECT channel FROM activities WHERE contact_id = ${id} AND channel IN ${IN_CHANNELS}
    UNION SELECT channel FROM contact_handles WHERE contact_id = ${id} AND channel IN ${IN_CHANNELS}
    UNION SELECT ${lastChannel} WHERE ${lastChannel} IN ${IN_CHANNELS}
    ORDER BY 1)), '')`;

const refresh = (id: string) =>
  `UPDATE contacts SET channels = ${channelsOf(id, '(SELECT c2.last_channel FROM contacts c2 WHERE c2.id = ' + id + ')')} WHERE id = ${id};`;

/** Number custom values as a person types them: 30154, not 30154.0. */
const numberText = (v: string) => `CASE WHEN ${v} = CAST(${v} AS INTEGER) THEN CAST(CAST(${v} AS INTEGER) AS TEXT) ELSE CAST(${v} AS TEXT) END`;

// The search document of migration 002, plus number custom values and the channels.
const SEARCH_DOCS_VIEW = `CREATE VIEW contact_search_docs AS
SELECT c.rowid AS rid, c.id AS contact_id, c.workspace_id AS workspace_id, concat_ws(' ',
  c.first_name, c.last_name, c.display_name, c.company_name,
  (SELECT group_concat(e.value, ' ') FROM contact_emails e WHERE e.contact_id = c.id),
  (SELECT group_concat(dossier_phone_tokens(p.value), ' ') FROM contact_phones p WHERE p.contact_id = c.id),
  (SELECT group_concat(t.name, ' ') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id),
  (SELECT group_concat(CASE WHEN f.type = 'number' THEN ${numberText('v.value_num')} ELSE v.value_text END, ' ')
    FROM contact_field_values v JOIN custom_fields f ON f.id = v.field_id
    WHERE v.contact_id = c.id AND f.type IN ('text','url','select','multi_select','number')),
  nullif(c.channels, ''),
  CASE WHEN instr(c.channels, 'webchat') THEN 'web chat' END,
  CASE WHEN instr(c.channels, 'call') THEN 'calls' END
) AS doc
FROM contacts c`;

const ftsRefresh = (id: string) => `DELETE FROM contacts_fts WHERE rowid = (SELECT rowid FROM contacts WHERE id = ${id});
  INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs WHERE contact_id = ${id};`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const live = 'dossier_search_live()';
  const statements = [
    `ALTER TABLE contacts ADD COLUMN channels TEXT NOT NULL DEFAULT ''`,
    // A contact's messages by channel: the triggers below look up one contact's channels through it.
    `CREATE INDEX activities_contact_channel ON activities (contact_id, channel)`,
    // Filled before any trigger exists, so the backfill does not re-index each contact on its own.
    `UPDATE contacts SET channels = ${channelsOf('contacts.id', 'contacts.last_channel')}`,
    ...['contact_emails', 'contact_phones', 'contact_handles'].flatMap((t) => [
      `CREATE TRIGGER ${t}_channels_ins AFTER INSERT ON ${t} WHEN ${live} BEGIN ${refresh('NEW.contact_id')} END`,
      `CREATE TRIGGER ${t}_channels_del AFTER DELETE ON ${t} BEGIN ${refresh('OLD.contact_id')} END`,
      `CREATE TRIGGER ${t}_channels_move AFTER UPDATE OF contact_id ON ${t} BEGIN ${refresh('OLD.contact_id')} ${refresh('NEW.contact_id')} END`,
    ]),
    // A message on a channel the contact already has changes nothing: most inserts stop at the WHEN.
    `CREATE TRIGGER activities_channels_ins AFTER INSERT ON activities
      WHEN ${live} AND NEW.channel IN ${IN_CHANNELS} AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = NEW.contact_id AND instr(' ' || c.channels || ' ', ' ' || NEW.channel || ' '))
      BEGIN ${refresh('NEW.contact_id')} END`,
    `CREATE TRIGGER activities_channels_del AFTER DELETE ON activities WHEN OLD.channel IN ${IN_CHANNELS} BEGIN ${refresh('OLD.contact_id')} END`,
    `CREATE TRIGGER activities_channels_move AFTER UPDATE OF contact_id, channel ON activities BEGIN ${refresh('OLD.contact_id')} ${refresh('NEW.contact_id')} END`,
    `CREATE TRIGGER contacts_channels_last AFTER UPDATE OF last_channel ON contacts BEGIN ${refresh('NEW.id')} END`,
    // The search document reads the channels: re-index when they change.
    `DROP VIEW contact_search_docs`,
    SEARCH_DOCS_VIEW,
    `CREATE TRIGGER contacts_fts_channels AFTER UPDATE OF channels ON contacts WHEN ${live} AND OLD.channels IS NOT NEW.channels BEGIN ${ftsRefresh('NEW.id')} END`,
    // Every contact again, with the new document (one pass; the 002 triggers keep it from here).
    `INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all')`,
    `INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
