import type { Kysely } from 'kysely';

// Workflows and the client portal (the record's Actions panel). The host runs automations and its portal; Dossier
// keeps what the host registers (workflows, course offers, community groups, keyed by the host's ids) and what staff
// and the host record per contact (enrolments; offer grants and group memberships). Schema builder only, so one
// module serves SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workflows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // The host's id of the workflow: registering it again updates it.
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // active | draft | inactive
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workflows_host_id').on('workflows').columns(['workspace_id', 'host_id']).unique().execute();

  await db.schema
    .createTable('workflow_enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id').onDelete('cascade'))
    // The host's id of the enrolment (null until the host records it; staff requests start without one).
    .addColumn('host_id', 'text')
    // enrolled | completed | stopped
    .addColumn('status', 'text', (c) => c.notNull())
    // The step the contact is at, as the host names it.
    .addColumn('step', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    // The member who asked for it from the record (null: the host or the secret key).
    .addColumn('enrolled_by', 'text')
    .addColumn('stopped_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workflow_enrolments_contact').on('workflow_enrolments').columns(['contact_id', 'enrolled_at', 'id']).execute();
  // NULLs are distinct on both engines: only recorded host ids must be unique.
  await db.schema.createIndex('workflow_enrolments_host_id').on('workflow_enrolments').columns(['workspace_id', 'host_id']).unique().execute();

  await db.schema
    .createTable('portal_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // offer (a course offer) | group (a community group)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // active | inactive
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_items_host_id').on('portal_items').columns(['workspace_id', 'kind', 'host_id']).unique().execute();

  // A contact's granted offers and group memberships: a set per contact (merge unites them, unmerge restores them).
  await db.schema
    .createTable('portal_grants')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('portal_items.id').onDelete('cascade'))
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addColumn('granted_by', 'text')
    .addPrimaryKeyConstraint('portal_grants_pk', ['contact_id', 'item_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('portal_grants').execute();
  await db.schema.dropTable('portal_items').execute();
  await db.schema.dropTable('workflow_enrolments').execute();
  await db.schema.dropTable('workflows').execute();
}
