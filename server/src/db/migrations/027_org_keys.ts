import type { Kysely } from 'kysely';

// Organization keys (`dok_…`): an agency's backend mints organization sessions with one (POST /api/v1/org-sessions).
// Kept like workspace secret keys: the hash and a prefix, never the key. Schema builder only, so the same migration
// serves SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('org_keys_organization').on('org_keys').columns(['organization_id', 'created_at']).execute();
}
