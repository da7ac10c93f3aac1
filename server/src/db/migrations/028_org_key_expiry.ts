import type { Kysely } from 'kysely';

// A rotated organization key keeps working until the end of its grace period (as workspace secret keys: api_keys
// .expires_at, migration 008); null = until revoked. Schema builder only: one module for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('org_keys').addColumn('expires_at', 'bigint').execute();
}
