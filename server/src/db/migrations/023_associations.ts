import type { Kysely } from 'kysely';

// Associations (the record's Associations tab): companies, host-defined custom object types and their records,
// association types (a label per direction) and the typed links between a contact and another contact, a company,
// a custom object record or (once registered) an opportunity. Schema builder only: one module for both engines.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower-case host name (example.com), unique per workspace when set (checked by the domain code).
    .addColumn('domain', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('companies_workspace_name').on('companies').columns(['workspace_id', 'name', 'id']).execute();
  await db.schema.createIndex('companies_workspace_domain').on('companies').columns(['workspace_id', 'domain']).execute();

  await db.schema
    .createTable('object_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('plural_name', 'text', (c) => c.notNull())
    // JSON: [{ key, label, type: text|number|date|boolean|choice, options?: string[], required?: boolean }]
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('object_types_workspace').on('object_types').columns(['workspace_id', 'name']).execute();

  await db.schema
    .createTable('object_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('object_types.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON: { fieldKey: value } validated against the type's fields.
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('object_records_type_name').on('object_records').columns(['workspace_id', 'type_id', 'name', 'id']).execute();

  await db.schema
    .createTable('association_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // contact | company | object | opportunity (the other side; this side is always a contact)
    .addColumn('target_kind', 'text', (c) => c.notNull())
    // kind `object`: which custom object type
    .addColumn('object_type_id', 'text', (c) => c.references('object_types.id').onDelete('cascade'))
    // How the contact relates to the target ("Manager of"), and the target to the contact ("Reports to");
    // null: symmetric ("Spouse"), one label both ways.
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('reverse_label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('association_types_workspace').on('association_types').columns(['workspace_id', 'target_kind']).execute();

  await db.schema
    .createTable('associations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('association_types.id').onDelete('cascade'))
    // The side the type's `label` speaks of.
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('associations_unique').unique().on('associations').columns(['type_id', 'contact_id', 'target_kind', 'target_id']).execute();
  await db.schema.createIndex('associations_contact').on('associations').columns(['workspace_id', 'contact_id']).execute();
  // The other side: a contact's links where it is the target, and a record's links (deleting it removes them).
  await db.schema.createIndex('associations_target').on('associations').columns(['workspace_id', 'target_kind', 'target_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['associations', 'association_types', 'object_records', 'object_types', 'companies']) await db.schema.dropTable(table).execute();
}
