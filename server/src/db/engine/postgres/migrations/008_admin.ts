import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 008_admin: operator keys, organizations owning workspaces, named / rotatable workspace secret
// keys, soft-deleted workspaces and the admin audit trail.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `CREATE TABLE admin_keys (
      id ${T} PRIMARY KEY,
      name ${T} NOT NULL,
      prefix ${T} NOT NULL,
      secret_hash ${T} NOT NULL UNIQUE,
      created_at bigint NOT NULL,
      last_used_at bigint,
      revoked_at bigint
    )`,
    `CREATE TABLE organizations (
      id ${T} PRIMARY KEY,
      name ${T} NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL
    )`,
    `ALTER TABLE workspaces ADD COLUMN organization_id ${T} REFERENCES organizations(id)`,
    `ALTER TABLE workspaces ADD COLUMN deleted_at bigint`,
    `CREATE INDEX workspaces_organization ON workspaces (organization_id, id)`,
    `ALTER TABLE api_keys ADD COLUMN name ${T} NOT NULL DEFAULT 'Secret key'`,
    `ALTER TABLE api_keys ADD COLUMN prefix ${T} NOT NULL DEFAULT ''`,
    `ALTER TABLE api_keys ADD COLUMN expires_at bigint`,
    `ALTER TABLE api_keys ADD COLUMN last_used_at bigint`,
    `CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at)`,
    `CREATE TABLE admin_audit (
      id ${T} PRIMARY KEY,
      key_id ${T} NOT NULL,
      action ${T} NOT NULL,
      target_type ${T} NOT NULL,
      target_id ${T},
      details ${T} NOT NULL DEFAULT '{}',
      created_at bigint NOT NULL
    )`,
    `CREATE INDEX admin_audit_target ON admin_audit (target_type, target_id, id)`,
  ]);
}
