import { sql, type Kysely } from 'kysely';

// Conversations (the record's Conversations tab): one per contact + channel + the host's thread id ('' when the host
// sends none, e.g. one SMS thread per number), kept as messages arrive: opened (first message), last message, last
// incoming message and counts. Messages stay rows of `activities` (kind 'message'), linked by `conversation_id` and
// paged newest first on (conversation_id, at, id). Existing messages are threaded by contact + channel, and
// `contacts.last_incoming_at` ("Time since last incoming message") is recomputed from real inbound messages only.

/** The statements of both engines' bodies; `text` is the engine's text type, `big` its 64-bit integer. */
export const conversationStatements = (text: string, big: string) => [
  `CREATE TABLE conversations (
    id ${text} PRIMARY KEY,
    workspace_id ${text} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    contact_id ${text} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel ${text} NOT NULL,
    thread_key ${text} NOT NULL DEFAULT '',
    subject ${text},
    opened_at ${big} NOT NULL,
    last_message_at ${big} NOT NULL,
    last_message_id ${text},
    last_incoming_at ${big},
    message_count ${big} NOT NULL DEFAULT 0,
    incoming_count ${big} NOT NULL DEFAULT 0
  )`,
  `CREATE UNIQUE INDEX conversations_key ON conversations (workspace_id, contact_id, channel, thread_key)`,
  `CREATE INDEX conversations_contact_last ON conversations (workspace_id, contact_id, last_message_at, id)`,
  `ALTER TABLE activities ADD COLUMN conversation_id ${text}`,
  `CREATE INDEX activities_conversation ON activities (conversation_id, at, id) WHERE conversation_id IS NOT NULL`,
  `INSERT INTO conversations (id, workspace_id, contact_id, channel, thread_key, opened_at, last_message_at, last_incoming_at, message_count, incoming_count)
    SELECT 'cv_' || min(id), workspace_id, contact_id, channel, '', min(at), max(at), max(CASE WHEN direction = 'inbound' THEN at END),
      count(*), sum(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END)
    FROM activities WHERE kind = 'message' AND channel IS NOT NULL GROUP BY workspace_id, contact_id, channel`,
  `UPDATE activities SET conversation_id = (SELECT c.id FROM conversations c WHERE c.workspace_id = activities.workspace_id
    AND c.contact_id = activities.contact_id AND c.channel = activities.channel AND c.thread_key = '')
    WHERE kind = 'message' AND channel IS NOT NULL`,
  `UPDATE conversations SET last_message_id = (SELECT a.id FROM activities a WHERE a.conversation_id = conversations.id ORDER BY a.at DESC, a.id DESC LIMIT 1)`,
  `UPDATE contacts SET last_incoming_at = (SELECT max(c.last_incoming_at) FROM conversations c WHERE c.contact_id = contacts.id)
    WHERE last_incoming_at IS NOT NULL OR EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = contacts.id AND c.last_incoming_at IS NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of conversationStatements('TEXT', 'INTEGER')) await sql.raw(statement).execute(db);
}
