import type { Kysely } from 'kysely';

// Billing: the workspace's price list (products), invoices with their number sequence, subscriptions and the
// runner's record of each billing period. Schema builder only, so one module serves SQLite and PostgreSQL.
// Money columns are integers of the currency's minor unit (bigint), never floats.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit_amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // one_off | recurring
    .addColumn('kind', 'text', (c) => c.notNull())
    // month | year (recurring only)
    .addColumn('interval', 'text')
    .addColumn('interval_count', 'integer')
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('products_workspace_name').on('products').columns(['workspace_id', 'name', 'id']).execute();

  // The next invoice number of each workspace (taken inside the creating transaction).
  await db.schema
    .createTable('invoice_sequences')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    // draft | sent | paid | void
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // JSON { name, email, address }: who the invoice is addressed to, as written on it.
    .addColumn('bill_to', 'text', (c) => c.notNull())
    // JSON: lines [{ productId, description, quantity, unitAmount, discount, taxIds }], taxes, discount.
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('taxes', 'text', (c) => c.notNull())
    .addColumn('discount', 'text')
    .addColumn('subtotal', 'bigint', (c) => c.notNull())
    .addColumn('discount_total', 'bigint', (c) => c.notNull())
    .addColumn('tax_total', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    // email | sms | whatsapp: the channel of the last send.
    .addColumn('sent_channel', 'text')
    .addColumn('sent_at', 'bigint')
    // The signed public page of the invoice, made at the first send (the webhook and the DOM event carry it).
    .addColumn('hosted_url', 'text')
    .addColumn('paid_at', 'bigint')
    // card | manual
    .addColumn('paid_method', 'text')
    .addColumn('paid_note', 'text')
    // The provider's charge of a card payment.
    .addColumn('charge_id', 'text')
    .addColumn('voided_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoices_number').on('invoices').columns(['workspace_id', 'number']).unique().execute();
  await db.schema.createIndex('invoices_contact').on('invoices').columns(['contact_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
    // Copied from the product when subscribed: a later price change does not reprice it.
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_amount', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('interval', 'text', (c) => c.notNull())
    .addColumn('interval_count', 'integer', (c) => c.notNull())
    // The first bill; period n bills at start_at + n intervals (month ends clamp: Jan 31 → Feb 28 → Mar 31).
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('periods_billed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_bill_at', 'bigint')
    // Failed attempts at the current period, and when the runner tries again.
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('payment_method_id', 'text', (c) => c.notNull())
    // scheduled | active | past_due | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_contact').on('subscriptions').columns(['contact_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('subscriptions_due').on('subscriptions').columns(['status', 'next_bill_at']).execute();

  // One row per charge attempt of a period: the idempotency key is unique, so a runner restarted mid-charge asks
  // the provider with the same key and cannot bill a period twice.
  await db.schema
    .createTable('subscription_charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('period', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // pending | succeeded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('charge_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('settled_at', 'bigint')
    .execute();
  await db.schema.createIndex('subscription_charges_sub').on('subscription_charges').columns(['subscription_id', 'period', 'attempt']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('subscription_charges').execute();
  await db.schema.dropTable('subscriptions').execute();
  await db.schema.dropTable('invoices').execute();
  await db.schema.dropTable('invoice_sequences').execute();
  await db.schema.dropTable('products').execute();
}
