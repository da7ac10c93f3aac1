import { sql, type Kysely } from 'kysely';

// Workspaces, members, keys, contacts and everything that hangs off a contact.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE workspaces (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      default_region TEXT NOT NULL DEFAULT 'US',
      allowed_origins TEXT NOT NULL DEFAULT '[]',
      restore_days INTEGER NOT NULL DEFAULT 30,
      created_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      secret_hash TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    ) STRICT`,
    `CREATE TABLE members (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      external_id TEXT NOT NULL,
      name TEXT NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('owner','manager','agent')),
      restrict_to_assigned INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (workspace_id, external_id)
    ) STRICT`,
    `CREATE TABLE contacts (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      first_name TEXT,
      last_name TEXT,
      display_name TEXT NOT NULL DEFAULT '',
      company_name TEXT,
      address TEXT,
      website TEXT,
      avatar_url TEXT,
      owner_id TEXT REFERENCES members(id) ON DELETE SET NULL,
      source TEXT,
      attribution_first TEXT,
      attribution_latest TEXT,
      last_interaction_at INTEGER,
      last_channel TEXT,
      last_incoming_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      deleted_at INTEGER,
      merged_into_id TEXT
    ) STRICT`,
    `CREATE INDEX contacts_ws_created ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_deleted ON contacts (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX contacts_ws_owner ON contacts (workspace_id, owner_id)`,
    `CREATE TABLE contact_emails (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      value TEXT NOT NULL,
      label TEXT,
      is_primary INTEGER NOT NULL DEFAULT 0,
      position INTEGER NOT NULL DEFAULT 0,
      verified_at INTEGER
    ) STRICT`,
    `CREATE INDEX contact_emails_contact ON contact_emails (contact_id, position)`,
    `CREATE INDEX contact_emails_value ON contact_emails (workspace_id, value)`,
    `CREATE TABLE contact_phones (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      value TEXT NOT NULL,
      label TEXT CHECK (label IS NULL OR label IN ('home','landline','mobile','work')),
      is_primary INTEGER NOT NULL DEFAULT 0,
      position INTEGER NOT NULL DEFAULT 0,
      verified_at INTEGER
    ) STRICT`,
    `CREATE INDEX contact_phones_contact ON contact_phones (contact_id, position)`,
    `CREATE INDEX contact_phones_value ON contact_phones (workspace_id, value)`,
    `CREATE TABLE tags (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      name TEXT NOT NULL COLLATE NOCASE,
      created_at INTEGER NOT NULL,
      UNIQUE (workspace_id, name)
    ) STRICT`,
    `CREATE TABLE contact_tags (
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      tag_id TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      PRIMARY KEY (contact_id, tag_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id)`,
    `CREATE TABLE custom_fields (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      label TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('text','number','date','select','multi_select','checkbox','url')),
      options TEXT,
      position INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (workspace_id, key)
    ) STRICT`,
    `CREATE TABLE contact_field_values (
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      field_id TEXT NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
      value_json TEXT NOT NULL,
      value_text TEXT,
      value_num REAL,
      PRIMARY KEY (contact_id, field_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX contact_field_values_text ON contact_field_values (field_id, value_text)`,
    `CREATE INDEX contact_field_values_num ON contact_field_values (field_id, value_num)`,
    `CREATE TABLE contact_followers (
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
      PRIMARY KEY (contact_id, member_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX contact_followers_member ON contact_followers (member_id, contact_id)`,
    `CREATE TABLE contact_dnd (
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel TEXT NOT NULL CHECK (channel IN ('sms','call','email','facebook','gmb','whatsapp')),
      since INTEGER NOT NULL,
      PRIMARY KEY (contact_id, channel)
    ) STRICT, WITHOUT ROWID`,
    `CREATE TABLE audit_events (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      contact_id TEXT,
      actor_id TEXT,
      actor_type TEXT NOT NULL,
      action TEXT NOT NULL,
      changes TEXT NOT NULL DEFAULT '{}',
      at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX audit_events_contact ON audit_events (contact_id, at, id)`,
    `CREATE TABLE activities (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL,
      contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      channel TEXT,
      direction TEXT,
      summary TEXT NOT NULL,
      data TEXT,
      at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX activities_contact ON activities (contact_id, at, id)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
