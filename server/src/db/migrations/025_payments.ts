import type { Kysely } from 'kysely';

// Payments core (the record's Payments tab): provider customers, saved cards, charges and refunds, the per-contact
// ledger and the provider webhook events already processed. Schema builder only, so one module serves SQLite and
// PostgreSQL. Amounts are integer minor units; currencies ISO 4217 lower case. No card number is ever stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One provider customer per contact and provider (created on the first card or charge).
  await db.schema
    .createTable('payment_customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    // stripe | test
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_customer_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_customers_contact').on('payment_customers').columns(['workspace_id', 'contact_id', 'provider']).execute();
  await db.schema.createIndex('payment_customers_provider_id').on('payment_customers').columns(['provider', 'provider_customer_id']).unique().execute();

  // Cards on file: what the provider tells of them (brand, last four, expiry), never the number.
  await db.schema
    .createTable('payment_methods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('payment_customers.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_method_id', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('last4', 'text', (c) => c.notNull())
    .addColumn('exp_month', 'integer', (c) => c.notNull())
    .addColumn('exp_year', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    // When it was made the default: the contact's default card is the one made default last (so merging two contacts'
    // cards needs no change to them, and unmerging restores each contact's own default exactly).
    .addColumn('default_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Removed (detached at the provider); kept so the history still names the card.
    .addColumn('removed_at', 'bigint')
    .execute();
  await db.schema.createIndex('payment_methods_contact').on('payment_methods').columns(['workspace_id', 'contact_id', 'created_at']).execute();
  await db.schema.createIndex('payment_methods_provider_id').on('payment_methods').columns(['provider', 'provider_method_id']).unique().execute();

  // Charges. `idempotency_key` is the dialog attempt's key: a retried request finds its charge instead of charging
  // again. `source` / `source_id` say what asked for it (charge | invoice | subscription, and that record's id).
  await db.schema
    .createTable('payment_charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('payment_method_id', 'text', (c) => c.references('payment_methods.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_charge_id', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // pending | succeeded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_code', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('amount_refunded', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('charge'))
    .addColumn('source_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_charges_idempotency').on('payment_charges').columns(['workspace_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('payment_charges_contact').on('payment_charges').columns(['workspace_id', 'contact_id', 'created_at']).execute();
  await db.schema.createIndex('payment_charges_provider_id').on('payment_charges').columns(['provider', 'provider_charge_id']).execute();

  await db.schema
    .createTable('payment_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('charge_id', 'text', (c) => c.notNull().references('payment_charges.id').onDelete('cascade'))
    .addColumn('provider_refund_id', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    // pending | succeeded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure_message', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_refunds_idempotency').on('payment_refunds').columns(['workspace_id', 'idempotency_key']).unique().execute();
  await db.schema.createIndex('payment_refunds_charge').on('payment_refunds').columns(['charge_id']).execute();

  // The ledger: one row per money event of a contact (charge succeeded / failed, refund; invoices and subscriptions
  // add their own kinds). `entry_key` is deterministic (kind + the record it is about), so the synchronous answer and
  // the provider's webhook for the same event write it once, in whichever order they arrive.
  await db.schema
    .createTable('payment_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('entry_key', 'text', (c) => c.notNull())
    // charge.succeeded | charge.failed | refund.succeeded | refund.failed | invoice.* | subscription.*
    .addColumn('kind', 'text', (c) => c.notNull())
    // Signed: money in positive, refunds negative; 0 for events that move none (a failed charge).
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('charge_id', 'text')
    .addColumn('refund_id', 'text')
    // What else it is about (invoice, subscription), for the `bill` records.
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('provider_event_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    // The contact's entries in the order written (entries of one millisecond keep it): one more than its last.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_ledger_entry').on('payment_ledger').columns(['workspace_id', 'entry_key']).unique().execute();
  await db.schema.createIndex('payment_ledger_contact').on('payment_ledger').columns(['workspace_id', 'contact_id', 'occurred_at', 'seq']).execute();

  // Provider webhook events already applied: a replayed event is acknowledged and changes nothing.
  await db.schema
    .createTable('payment_webhook_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_webhook_events_pk', ['provider', 'event_id'])
    .execute();

  // Permissions granted to one member beyond their role (payments.manage for an agent).
  await db.schema
    .createTable('member_grants')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('permission', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_grants_pk', ['member_id', 'permission'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['member_grants', 'payment_webhook_events', 'payment_ledger', 'payment_refunds', 'payment_charges', 'payment_methods', 'payment_customers']) {
    await db.schema.dropTable(table).execute();
  }
}
