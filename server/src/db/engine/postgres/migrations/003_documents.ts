import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 003_documents: documents, the content-addressed blobs behind them, and social handles.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `CREATE TABLE blobs (
      sha256 ${T} PRIMARY KEY CHECK (length(sha256) = 64),
      size bigint NOT NULL,
      created_at bigint NOT NULL,
      last_used_at bigint NOT NULL
    )`,
    `CREATE TABLE documents (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      section ${T} NOT NULL CHECK (section IN ('internal','sent','received')),
      origin ${T} NOT NULL CHECK (origin IN ('upload','email','sms','whatsapp','instagram','facebook','form','survey')),
      form_name ${T},
      name ${T} NOT NULL,
      name_key ${T} NOT NULL,
      kind ${T} NOT NULL,
      media_type ${T} NOT NULL,
      size bigint NOT NULL,
      sha256 ${T} NOT NULL REFERENCES blobs(sha256),
      blob_key ${T} NOT NULL,
      uploaded_by ${T} REFERENCES members(id) ON DELETE SET NULL,
      share_on_portal bigint NOT NULL DEFAULT 0,
      message_id ${T},
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      deleted_at bigint
    )`,
    `CREATE INDEX documents_contact_date ON documents (contact_id, created_at, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_name ON documents (contact_id, name_key, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_size ON documents (contact_id, size, id) WHERE deleted_at IS NULL`,
    `CREATE INDEX documents_contact_deleted ON documents (contact_id, deleted_at, id) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX documents_deleted ON documents (deleted_at) WHERE deleted_at IS NOT NULL`,
    `CREATE INDEX documents_sha ON documents (sha256)`,
    `CREATE INDEX documents_message ON documents (message_id) WHERE message_id IS NOT NULL`,
    `CREATE TABLE contact_handles (
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      contact_id ${T} NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      channel ${T} NOT NULL,
      handle ${T} NOT NULL,
      created_at bigint NOT NULL,
      PRIMARY KEY (workspace_id, channel, handle)
    )`,
    `CREATE INDEX contact_handles_contact ON contact_handles (contact_id)`,
    // Host backends retry webhooks: a message is recognised again by its channel and external id (the expression
    // is the one engine/postgres/sql.ts writes for a JSON key).
    `CREATE INDEX activities_external ON activities (workspace_id, channel, ((data)::jsonb ->> 'externalId')) WHERE ((data)::jsonb ->> 'externalId') IS NOT NULL`,
    `ALTER TABLE workspaces ADD COLUMN document_types ${T}`,
  ]);
}
