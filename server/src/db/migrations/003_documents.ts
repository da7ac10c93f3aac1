import { sql, type Kysely } from 'kysely';

// Documents attached to contacts, the content-addressed blobs behind them, and social handles used to find a
// contact from an incoming message. (002 is reserved for a parallel change; migrations apply in key order.)
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // One row per stored content (global, deduplicated by SHA-256). Unreferenced rows are garbage-collected.
    `CREATE TABLE blobs (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      size INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE documents (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      section TEXT NOT NULL CHECK (section IN ('internal','sent','received')),
      origin TEXT NOT NULL CHECK (origin IN ('upload','email','sms','whatsapp','instagram','facebook','form','survey')),
      form_name TEXT,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL,
      kind TEXT NOT NULL,
      media_type TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL REFERENCES blobs(sha256),
      blob_key TEXT NOT NULL,
      uploaded_by TEXT REFERENCES members(id) ON DELETE SET NULL,
      share_on_portal INTEGER NOT NULL DEFAULT 0,
      message_id TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      deleted_at INTEGER
    ) STRICT`,
    // Listing is always per contact; one index per sort order, keyset on (key, id).
    `CREATE INDEX documents_contact_date ON documents (contact_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_name ON documents (contact_id, name_key, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_size ON documents (contact_id, size, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_deleted ON documents (contact_id, deleted_at, id) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX documents_deleted ON documents (deleted_at) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX documents_sha ON documents (sha256)`,
    `CREATE INDEX documents_message ON documents (message_id) WHERE message_id IS NOT NULL`,
    // Instagram / Facebook (and other) handles that identify a contact on a channel.
    `CREATE TABLE contact_handles (
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel TEXT NOT NULL,
      handle TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (workspace_id, channel, handle)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX contact_handles_contact ON contact_handles (contact_id)`,
    // Host backends retry webhooks: a message is recognised again by its channel and external id.
    `CREATE INDEX activities_external ON activities (workspace_id, channel, json_extract(data, '$.externalId')) WHERE json_extract(data, '$.externalId') IS NOT NULL`,
    // Per-workspace allow-list of document kinds (JSON array); NULL = the server's configured default.
    `ALTER TABLE workspaces ADD COLUMN document_types TEXT`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
