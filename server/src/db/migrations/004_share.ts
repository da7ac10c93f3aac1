import { sql, type Kysely } from 'kysely';

// Share links behind an email / WhatsApp one-time-code gate, the codes (HMAC only), viewer sessions, the
// viewer↔link association, rate-limit bookkeeping, the dev outbox, and per-contact access counters so the
// table can sort by "last accessed" through an index. Every workspace gets a "Viewers" saved view.
const VIEWERS_VIEW = JSON.stringify({
  filter: { field: 'shareLink', op: 'is_not_empty' },
  columns: ['name', 'email', 'phone', 'lastAccessedAt', 'accessCount', 'source'],
  sort: { field: 'lastAccessedAt', dir: 'desc' },
});

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE share_links (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      slug TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      require TEXT NOT NULL CHECK (require IN ('none','email','whatsapp','either')),
      verify_otp INTEGER NOT NULL DEFAULT 1,
      allow_download INTEGER NOT NULL DEFAULT 0,
      expires_at INTEGER,
      disabled_at INTEGER,
      deleted_at INTEGER,
      allow_list TEXT NOT NULL DEFAULT '[]',
      deny_list TEXT NOT NULL DEFAULT '[]',
      created_by TEXT REFERENCES members(id) ON DELETE SET NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX share_links_document ON share_links (document_id, created_at) WHERE deleted_at IS NULL`,
    `CREATE TABLE otp_challenges (
      id TEXT PRIMARY KEY,
      link_id TEXT NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      channel TEXT NOT NULL CHECK (channel IN ('email','whatsapp')),
      identifier TEXT NOT NULL,
      code_hmac TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      consumed_at INTEGER,
      replaced_at INTEGER,
      suppressed INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      ip TEXT
    ) STRICT`,
    `CREATE INDEX otp_link_identifier ON otp_challenges (link_id, identifier, created_at)`,
    `CREATE INDEX otp_identifier ON otp_challenges (identifier, created_at)`,
    `CREATE TABLE rate_hits (
      bucket TEXT NOT NULL,
      key TEXT NOT NULL,
      at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX rate_hits_key ON rate_hits (bucket, key, at)`,
    `CREATE TABLE share_link_contacts (
      workspace_id TEXT NOT NULL,
      link_id TEXT NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel TEXT NOT NULL,
      identifier TEXT NOT NULL,
      first_at INTEGER NOT NULL,
      last_at INTEGER NOT NULL,
      view_count INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (link_id, contact_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX share_link_contacts_contact ON share_link_contacts (contact_id, channel)`,
    `CREATE TABLE link_views (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      link_id TEXT NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      contact_id TEXT REFERENCES contacts(id) ON DELETE SET NULL,
      token_id TEXT NOT NULL,
      channel TEXT,
      started_at INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL DEFAULT 0,
      pages_seen TEXT NOT NULL DEFAULT '[]',
      downloaded INTEGER NOT NULL DEFAULT 0,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX link_views_link ON link_views (link_id, started_at)`,
    `CREATE INDEX link_views_contact ON link_views (contact_id, started_at)`,
    `CREATE TABLE outbox (
      id TEXT PRIMARY KEY,
      workspace_id TEXT,
      channel TEXT NOT NULL,
      to_address TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX outbox_created ON outbox (created_at)`,
    // Viewer counters live on the contact: cheap to show, and "sort by last accessed" seeks an index.
    `ALTER TABLE contacts ADD COLUMN last_accessed_at INTEGER`,
    `ALTER TABLE contacts ADD COLUMN access_count INTEGER NOT NULL DEFAULT 0`,
    // Sort key as a generated column (like 003_sort_keys): the (key, id) row-value seek of keyset pages uses the index.
    `ALTER TABLE contacts ADD COLUMN last_accessed_sort INTEGER GENERATED ALWAYS AS (coalesce(last_accessed_at, -1)) VIRTUAL`,
    `CREATE INDEX contacts_ws_accessed_sort ON contacts (workspace_id, last_accessed_sort, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_access_count ON contacts (workspace_id, access_count, id) WHERE deleted_at IS NULL`,
    // The "Viewers" view ships with every workspace, existing and future (a trigger covers every writer).
    `INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      SELECT 'vw_' || lower(hex(randomblob(16))), id, NULL, 'Viewers', 'workspace', '${VIEWERS_VIEW}', created_at, created_at FROM workspaces`,
    `CREATE TRIGGER workspaces_viewers_view AFTER INSERT ON workspaces BEGIN
      INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      VALUES ('vw_' || lower(hex(randomblob(16))), NEW.id, NULL, 'Viewers', 'workspace', '${VIEWERS_VIEW}', NEW.created_at, NEW.created_at);
    END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
