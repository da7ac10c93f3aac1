import { sql, type Kysely } from 'kysely';

// The operator side: operator (admin) keys, organizations that own workspaces, workspace secret keys that can be
// named, listed by prefix and rotated with a grace period, soft-deleted workspaces (purged in the background),
// and an audit trail of every admin call.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE admin_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prefix TEXT NOT NULL,
      secret_hash TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER,
      revoked_at INTEGER
    ) STRICT`,
    `CREATE TABLE organizations (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `ALTER TABLE workspaces ADD COLUMN organization_id TEXT REFERENCES organizations(id)`,
    `ALTER TABLE workspaces ADD COLUMN deleted_at INTEGER`,
    `CREATE INDEX workspaces_organization ON workspaces (organization_id, id)`,
    `ALTER TABLE api_keys ADD COLUMN name TEXT NOT NULL DEFAULT 'Secret key'`,
    `ALTER TABLE api_keys ADD COLUMN prefix TEXT NOT NULL DEFAULT ''`,
    `ALTER TABLE api_keys ADD COLUMN expires_at INTEGER`,
    `ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER`,
    `CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at)`,
    `CREATE TABLE admin_audit (
      id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      action TEXT NOT NULL,
      target_type TEXT NOT NULL,
      target_id TEXT,
      details TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX admin_audit_target ON admin_audit (target_type, target_id, id)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
