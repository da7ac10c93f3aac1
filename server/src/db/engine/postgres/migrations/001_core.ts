import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 001_core (db/migrations/001_core.ts): workspaces, members, keys, contacts and everything
// that hangs off a contact. SQLite's INTEGER is 64-bit: bigint here (ms timestamps); text sorts by bytes ("C").
// Tag names compare without case like SQLite's NOCASE column (citext). Audit events get a sequence for their
// insertion order (SQLite uses rowid).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    // Trusted extensions (PostgreSQL 13+): the database owner may create them.
    `CREATE EXTENSION IF NOT EXISTS citext`,
    `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
    `CREATE EXTENSION IF NOT EXISTS unaccent`,
    `CREATE TABLE workspaces (
      id ${T} PRIMARY KEY,
      name ${T} NOT NULL,
      default_region ${T} NOT NULL DEFAULT 'US',
      allowed_origins ${T} NOT NULL DEFAULT '[]',
      restore_days bigint NOT NULL DEFAULT 30,
      created_at bigint NOT NULL
    )`,
    `CREATE TABLE api_keys (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      secret_hash ${T} NOT NULL UNIQUE,
      created_at bigint NOT NULL,
      revoked_at bigint
    )`,
    `CREATE TABLE members (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      external_id ${T} NOT NULL,
      name ${T} NOT NULL,
      email ${T} NOT NULL,
      role ${T} NOT NULL CHECK (role IN ('owner','manager','agent')),
      restrict_to_assigned bigint NOT NULL DEFAULT 0,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      UNIQUE (workspace_id, external_id)
    )`,
    `CREATE TABLE contacts (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      first_name ${T},
      last_name ${T},
      display_name ${T} NOT NULL DEFAULT '',
      company_name ${T},
      address ${T},
      website ${T},
      avatar_url ${T},
      owner_id ${T} REFERENCES members(id) ON DELETE SET NULL,
      source ${T},
      attribution_first ${T},
      attribution_latest ${T},
      last_interaction_at bigint,
      last_channel ${T},
      last_incoming_at bigint,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      deleted_at bigint,
      merged_into_id ${T}
    )`,
    `CREATE INDEX contacts_ws_created ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_deleted ON contacts (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX contacts_ws_owner ON contacts (workspace_id, owner_id)`,
    `CREATE TABLE contact_emails (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      value ${T} NOT NULL,
      label ${T},
      is_primary bigint NOT NULL DEFAULT 0,
      position bigint NOT NULL DEFAULT 0,
      verified_at bigint
    )`,
    `CREATE INDEX contact_emails_contact ON contact_emails (contact_id, position)`,
    `CREATE INDEX contact_emails_value ON contact_emails (workspace_id, value)`,
    `CREATE TABLE contact_phones (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      value ${T} NOT NULL,
      label ${T} CHECK (label IS NULL OR label IN ('home','landline','mobile','work')),
      is_primary bigint NOT NULL DEFAULT 0,
      position bigint NOT NULL DEFAULT 0,
      verified_at bigint
    )`,
    `CREATE INDEX contact_phones_contact ON contact_phones (contact_id, position)`,
    `CREATE INDEX contact_phones_value ON contact_phones (workspace_id, value)`,
    `CREATE TABLE tags (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      name citext NOT NULL,
      created_at bigint NOT NULL,
      UNIQUE (workspace_id, name)
    )`,
    `CREATE TABLE contact_tags (
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      tag_id ${T} NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      PRIMARY KEY (contact_id, tag_id)
    )`,
    `CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id)`,
    `CREATE TABLE custom_fields (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      key ${T} NOT NULL,
      label ${T} NOT NULL,
      type ${T} NOT NULL CHECK (type IN ('text','number','date','select','multi_select','checkbox','url')),
      options ${T},
      position bigint NOT NULL DEFAULT 0,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      UNIQUE (workspace_id, key)
    )`,
    `CREATE TABLE contact_field_values (
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      field_id ${T} NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
      value_json ${T} NOT NULL,
      value_text ${T},
      value_num double precision,
      PRIMARY KEY (contact_id, field_id)
    )`,
    `CREATE INDEX contact_field_values_text ON contact_field_values (field_id, value_text)`,
    `CREATE INDEX contact_field_values_num ON contact_field_values (field_id, value_num, contact_id)`,
    `CREATE TABLE contact_followers (
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      member_id ${T} NOT NULL REFERENCES members(id) ON DELETE CASCADE,
      PRIMARY KEY (contact_id, member_id)
    )`,
    `CREATE INDEX contact_followers_member ON contact_followers (member_id, contact_id)`,
    `CREATE TABLE contact_dnd (
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel ${T} NOT NULL CHECK (channel IN ('sms','call','email','facebook','gmb','whatsapp')),
      since bigint NOT NULL,
      PRIMARY KEY (contact_id, channel)
    )`,
    `CREATE TABLE audit_events (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL,
      contact_id ${T},
      actor_id ${T},
      actor_type ${T} NOT NULL,
      action ${T} NOT NULL,
      changes ${T} NOT NULL DEFAULT '{}',
      at bigint NOT NULL,
      seq bigint GENERATED ALWAYS AS IDENTITY
    )`,
    `CREATE INDEX audit_events_contact ON audit_events (contact_id, at, seq)`,
    `CREATE TABLE activities (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      kind ${T} NOT NULL,
      channel ${T},
      direction ${T},
      summary ${T} NOT NULL,
      data ${T},
      at bigint NOT NULL
    )`,
    `CREATE INDEX activities_contact ON activities (contact_id, at, id)`,
  ]);
}
