import type { Kysely } from 'kysely';

// Opportunities (the record's Actions panel): pipelines with ordered stages, opportunities in a stage, and the
// contacts linked to each (one primary, others associated). Schema builder only, so one module serves SQLite and
// PostgreSQL. Opportunities are soft-deleted (`deleted_at`): an unmerge restores contact links exactly as they
// were, and a link must never point at a row that is gone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pipelines_workspace').on('pipelines').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // 0, 1, 2… in the pipeline's order (rewritten whole on a reorder).
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pipeline_stages_pipeline').on('pipeline_stages').columns(['pipeline_id', 'position']).execute();

  await db.schema
    .createTable('opportunities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    // No foreign key: a stage is deleted only when no open opportunity is in it, and a deleted (binned)
    // opportunity may still name it.
    .addColumn('stage_id', 'text', (c) => c.notNull())
    // Integer minor units of `currency` (cents for USD, yen for JPY): never a float.
    .addColumn('value', 'bigint', (c) => c.notNull().defaultTo(0))
    // ISO 4217 code, upper case.
    .addColumn('currency', 'text', (c) => c.notNull())
    // open | won | lost | abandoned
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lost_reason', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('source', 'text')
    // Expected close date, a calendar date (YYYY-MM-DD), no time zone.
    .addColumn('close_date', 'text')
    .addColumn('status_changed_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('opportunities_workspace').on('opportunities').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('opportunities_stage').on('opportunities').columns(['stage_id']).execute();

  await db.schema
    .createTable('opportunity_contacts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('opportunity_id', 'text', (c) => c.notNull().references('opportunities.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    // primary (at most one per opportunity) | associated
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('opportunity_contacts_pk', ['opportunity_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('opportunity_contacts_contact').on('opportunity_contacts').columns(['contact_id', 'opportunity_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('opportunity_contacts').execute();
  await db.schema.dropTable('opportunities').execute();
  await db.schema.dropTable('pipeline_stages').execute();
  await db.schema.dropTable('pipelines').execute();
}
