// The webhooks of invoices and subscriptions: one per audit action, carrying the object as it is after the change
// (an invoice with its hosted link). Built inside the change's transaction, like every audit webhook.
import type { Db } from '../../db/connection.js';
import type { AuditInput, WebhookEvent } from '../webhook-events.js';
import { Invoices } from './invoices.js';
import { Subscriptions } from './subscriptions.js';

export const BILLING_WEBHOOK_TYPES = [
  'invoice.created',
  'invoice.updated',
  'invoice.sent',
  'invoice.paid',
  'invoice.voided',
  'subscription.created',
  'subscription.charged',
  'subscription.payment_failed',
  'subscription.cancelled',
] as const;
export type BillingWebhookType = (typeof BILLING_WEBHOOK_TYPES)[number];

const TYPES = new Set<string>(BILLING_WEBHOOK_TYPES);
export const isBillingAction = (action: string): action is BillingWebhookType => TYPES.has(action);

export async function billingEvent(trx: Db, a: AuditInput, base: Omit<WebhookEvent, 'data'>, actor: { type: string; id: string | null }): Promise<WebhookEvent | null> {
  const ctx = a.context ?? {};
  if (base.type.startsWith('invoice.')) {
    const invoice = ctx.invoice && (await Invoices.byId(trx, a.workspaceId, ctx.invoice.id));
    if (!invoice) return null;
    return { ...base, data: { contactId: a.contactId, actor, changes: a.changes, invoice } };
  }
  const subscription = ctx.subscription && (await Subscriptions.byId(trx, a.workspaceId, ctx.subscription.id));
  if (!subscription) return null;
  return { ...base, data: { contactId: a.contactId, actor, changes: a.changes, subscription } };
}
