import type { Kysely } from 'kysely';

// The record's right panel: a contact's notes and tasks. Schema builder only (no engine-specific SQL), so the same
// migration serves SQLite and PostgreSQL. Search is a case-insensitive LIKE over one contact's rows (TextOps.like):
// a contact has hundreds of notes at most, read through the contact's index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    // The member who wrote it; null when the host backend did (secret key) or the member is gone.
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    // Set while pinned (pinned notes come first, latest pin first).
    .addColumn('pinned_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // When the text last changed (the "edited" marker); a pin is not an edit.
    .addColumn('edited_at', 'bigint')
    .execute();
  await db.schema.createIndex('notes_contact_created').on('notes').columns(['contact_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    // open | completed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('completed_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_contact_due').on('tasks').columns(['contact_id', 'due_at', 'id']).execute();
  // A member's open tasks across contacts (GET /tasks?assignee=me&status=open), by due date.
  await db.schema.createIndex('tasks_assignee_due').on('tasks').columns(['workspace_id', 'assignee_id', 'status', 'due_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
  await db.schema.dropTable('notes').execute();
}
