import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 004_share: share links, one-time codes, viewer sessions, rate-limit hits, the dev outbox,
// the viewer counters on contacts, and the "Viewers" saved view every workspace gets (a trigger covers every writer).
const VIEWERS_VIEW = JSON.stringify({
  filter: { field: 'shareLink', op: 'is_not_empty' },
  columns: ['name', 'email', 'phone', 'lastAccessedAt', 'accessCount', 'source'],
  sort: { field: 'lastAccessedAt', dir: 'desc' },
});
/** 'vw_' and 32 hex digits, like SQLite's lower(hex(randomblob(16))). */
const VIEW_ID = `'vw_' || md5(random()::text || clock_timestamp()::text)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `CREATE TABLE share_links (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      document_id ${T} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      slug ${T} NOT NULL UNIQUE,
      name ${T} NOT NULL,
      require ${T} NOT NULL CHECK (require IN ('none','email','whatsapp','either')),
      verify_otp bigint NOT NULL DEFAULT 1,
      allow_download bigint NOT NULL DEFAULT 0,
      expires_at bigint,
      disabled_at bigint,
      deleted_at bigint,
      allow_list ${T} NOT NULL DEFAULT '[]',
      deny_list ${T} NOT NULL DEFAULT '[]',
      created_by ${T} REFERENCES members(id) ON DELETE SET NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL
    )`,
    `CREATE INDEX share_links_document ON share_links (document_id, created_at) WHERE deleted_at IS NULL`,
    `CREATE TABLE otp_challenges (
      id ${T} PRIMARY KEY,
      link_id ${T} NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      channel ${T} NOT NULL CHECK (channel IN ('email','whatsapp')),
      identifier ${T} NOT NULL,
      code_hmac ${T} NOT NULL,
      expires_at bigint NOT NULL,
      attempts bigint NOT NULL DEFAULT 0,
      consumed_at bigint,
      replaced_at bigint,
      suppressed bigint NOT NULL DEFAULT 0,
      created_at bigint NOT NULL,
      ip ${T}
    )`,
    `CREATE INDEX otp_link_identifier ON otp_challenges (link_id, identifier, created_at)`,
    `CREATE INDEX otp_identifier ON otp_challenges (identifier, created_at)`,
    `CREATE TABLE rate_hits (
      bucket ${T} NOT NULL,
      key ${T} NOT NULL,
      at bigint NOT NULL
    )`,
    `CREATE INDEX rate_hits_key ON rate_hits (bucket, key, at)`,
    `CREATE TABLE share_link_contacts (
      workspace_id ${T} NOT NULL,
      link_id ${T} NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel ${T} NOT NULL,
      identifier ${T} NOT NULL,
      first_at bigint NOT NULL,
      last_at bigint NOT NULL,
      view_count bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (link_id, contact_id)
    )`,
    `CREATE INDEX share_link_contacts_contact ON share_link_contacts (contact_id, channel)`,
    `CREATE TABLE link_views (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL,
      link_id ${T} NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
      contact_id ${T} REFERENCES contacts(id) ON DELETE SET NULL,
      token_id ${T} NOT NULL,
      channel ${T},
      started_at bigint NOT NULL,
      duration_ms bigint NOT NULL DEFAULT 0,
      pages_seen ${T} NOT NULL DEFAULT '[]',
      downloaded bigint NOT NULL DEFAULT 0,
      updated_at bigint NOT NULL
    )`,
    `CREATE INDEX link_views_link ON link_views (link_id, started_at)`,
    `CREATE INDEX link_views_contact ON link_views (contact_id, started_at)`,
    `CREATE TABLE outbox (
      id ${T} PRIMARY KEY,
      workspace_id ${T},
      channel ${T} NOT NULL,
      to_address ${T} NOT NULL,
      subject ${T} NOT NULL,
      body ${T} NOT NULL,
      created_at bigint NOT NULL
    )`,
    `CREATE INDEX outbox_created ON outbox (created_at)`,
    `ALTER TABLE contacts ADD COLUMN last_accessed_at bigint`,
    `ALTER TABLE contacts ADD COLUMN access_count bigint NOT NULL DEFAULT 0`,
    `ALTER TABLE contacts ADD COLUMN last_accessed_sort bigint GENERATED ALWAYS AS (coalesce(last_accessed_at, -1)) STORED`,
    `CREATE INDEX contacts_ws_accessed_sort ON contacts (workspace_id, last_accessed_sort, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX contacts_ws_access_count ON contacts (workspace_id, access_count, id) WHERE deleted_at IS NULL`,
    `INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      SELECT ${VIEW_ID}, id, NULL, 'Viewers', 'workspace', '${VIEWERS_VIEW}', created_at, created_at FROM workspaces`,
    `CREATE FUNCTION dossier_workspace_viewers_view() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO saved_views (id, workspace_id, owner_member_id, name, scope, definition, created_at, updated_at)
      VALUES (${VIEW_ID}, NEW.id, NULL, 'Viewers', 'workspace', '${VIEWERS_VIEW}', NEW.created_at, NEW.created_at);
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER workspaces_viewers_view AFTER INSERT ON workspaces FOR EACH ROW EXECUTE FUNCTION dossier_workspace_viewers_view()`,
  ]);
}
