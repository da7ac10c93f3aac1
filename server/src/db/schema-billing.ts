// The billing tables (migration 026), added to the Database interface by declaration merging so the feature
// lives in its own file.
export type ProductKind = 'one_off' | 'recurring';
export type BillingInterval = 'month' | 'year';
export type InvoiceStatus = 'draft' | 'sent' | 'paid' | 'void';
export type InvoiceChannel = 'email' | 'sms' | 'whatsapp';
export type SubscriptionStatus = 'scheduled' | 'active' | 'past_due' | 'cancelled';

export interface ProductsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  unit_amount: number;
  currency: string;
  kind: ProductKind;
  interval: BillingInterval | null;
  interval_count: number | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface InvoiceSequencesTable {
  workspace_id: string;
  last_number: number;
}

export interface InvoicesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  number: string;
  status: InvoiceStatus;
  currency: string;
  bill_to: string;
  lines: string;
  taxes: string;
  discount: string | null;
  subtotal: number;
  discount_total: number;
  tax_total: number;
  total: number;
  due_at: number;
  notes: string;
  sent_channel: InvoiceChannel | null;
  sent_at: number | null;
  hosted_url: string | null;
  paid_at: number | null;
  paid_method: 'card' | 'manual' | null;
  paid_note: string | null;
  charge_id: string | null;
  voided_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  product_id: string;
  description: string;
  quantity: number;
  unit_amount: number;
  amount: number;
  currency: string;
  interval: BillingInterval;
  interval_count: number;
  start_at: number;
  periods_billed: number;
  next_bill_at: number | null;
  attempts: number;
  retry_at: number | null;
  last_error: string | null;
  payment_method_id: string;
  status: SubscriptionStatus;
  cancelled_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionChargesTable {
  id: string;
  workspace_id: string;
  subscription_id: string;
  period: number;
  attempt: number;
  idempotency_key: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  charge_id: string | null;
  error: string | null;
  created_at: number;
  settled_at: number | null;
}

declare module './schema.js' {
  interface Database {
    products: ProductsTable;
    invoice_sequences: InvoiceSequencesTable;
    invoices: InvoicesTable;
    subscriptions: SubscriptionsTable;
    subscription_charges: SubscriptionChargesTable;
  }
}
