// A contact's subscriptions to recurring products: scheduled until the first bill, active while bills succeed,
// past_due after a failed one (the runner tries again), cancelled for good. The price is copied from the product
// when subscribing, so a later price change does not reprice existing subscribers.
import type { Db } from '../../db/connection.js';
import type { BillingInterval, SubscriptionStatus, SubscriptionsTable } from '../../db/schema-billing.js';
import type { Caller } from '../../http/env.js';
import { ApiError, conflict, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { MAX_AMOUNT, mulDivRound, parseQuantity, QUANTITY_SCALE } from '../../../../packages/core/src/money.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf, getVisibleContact } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { Products } from './products.js';
import type { CardCharger } from './charger.js';
import { billingLedger } from './ledger.js';

export interface SubscriptionJson {
  id: string;
  contactId: string;
  productId: string;
  description: string;
  quantity: string;
  unitAmount: number;
  /** What each period bills (quantity × unit amount), minor units. */
  amount: number;
  currency: string;
  interval: BillingInterval;
  intervalCount: number;
  startAt: number;
  /** The next bill; null once cancelled. */
  nextBillAt: number | null;
  periodsBilled: number;
  status: SubscriptionStatus;
  paymentMethodId: string;
  /** The provider's reason of the last failed bill (past_due). */
  lastError: string | null;
  retryAt: number | null;
  cancelledAt: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SubscriptionInput {
  productId: string;
  quantity?: string;
  startAt: number;
  paymentMethodId: string;
}

const DAY = 86_400_000;

export const subscriptionJson = (r: SubscriptionsTable): SubscriptionJson => ({
  id: r.id,
  contactId: r.contact_id,
  productId: r.product_id,
  description: r.description,
  quantity: String(r.quantity / QUANTITY_SCALE),
  unitAmount: r.unit_amount,
  amount: r.amount,
  currency: r.currency,
  interval: r.interval,
  intervalCount: r.interval_count,
  startAt: r.start_at,
  nextBillAt: r.next_bill_at,
  periodsBilled: r.periods_billed,
  status: r.status,
  paymentMethodId: r.payment_method_id,
  lastError: r.last_error,
  retryAt: r.retry_at,
  cancelledAt: r.cancelled_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function auditSubscription(trx: Db, actor: ReturnType<typeof actorOf>, r: Pick<SubscriptionsTable, 'id' | 'workspace_id' | 'contact_id' | 'description'>, action: string, changes: Changes, now: number) {
  return writeAudit(trx, { workspaceId: r.workspace_id, contactId: r.contact_id, actor, action: `subscription.${action}`, changes, context: { subscription: { id: r.id, name: r.description } }, at: now });
}

export class Subscriptions {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
    private readonly cards: CardCharger,
  ) {}

  static async byId(db: Db, workspaceId: string, id: string): Promise<SubscriptionJson | null> {
    const row = await db.selectFrom('subscriptions').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return row ? subscriptionJson(row) : null;
  }

  async list(caller: Caller, contactId: string): Promise<SubscriptionJson[]> {
    await getVisibleContact(this.db, caller, contactId);
    const rows = await this.db.selectFrom('subscriptions').selectAll().where('workspace_id', '=', caller.workspace.id).where('contact_id', '=', contactId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
    return rows.map(subscriptionJson);
  }

  private async row(workspaceId: string, contactId: string, id: string): Promise<SubscriptionsTable> {
    const row = await this.db.selectFrom('subscriptions').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Subscription');
    return row;
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its subscriptions.');
  }

  async create(caller: Caller, contactId: string, input: SubscriptionInput, now: number): Promise<SubscriptionJson> {
    await this.writable(caller, contactId);
    const product = await new Products(this.db).row(caller.workspace.id, input.productId).catch(() => {
      throw invalidField('productId', `No product ${input.productId} in this workspace.`);
    });
    if (product.kind !== 'recurring' || !product.interval) throw invalidField('productId', `${product.name} is a one-off product; subscriptions need a recurring one.`);
    if (product.archived_at !== null) throw invalidField('productId', `${product.name} is archived.`);
    const quantity = parseQuantity(input.quantity ?? '1');
    if (quantity === null || quantity === 0) throw invalidField('quantity', 'A quantity above 0 with at most 3 decimals.');
    const amount = mulDivRound(quantity, product.unit_amount, QUANTITY_SCALE);
    if (amount > MAX_AMOUNT) throw invalidField('quantity', 'The amount per period is too large.');
    // Starting today is fine (the runner bills it on its next round); a start in the past would bill missed periods.
    if (input.startAt < now - DAY) throw invalidField('startAt', 'The first bill cannot be in the past.');
    await this.cards.assertCard(caller.workspace.id, contactId, input.paymentMethodId, 'paymentMethodId');
    const row: SubscriptionsTable = {
      id: newId('su_', now),
      workspace_id: caller.workspace.id,
      contact_id: contactId,
      product_id: product.id,
      description: product.name,
      quantity,
      unit_amount: product.unit_amount,
      amount,
      currency: product.currency,
      interval: product.interval,
      interval_count: product.interval_count ?? 1,
      start_at: input.startAt,
      periods_billed: 0,
      next_bill_at: input.startAt,
      attempts: 0,
      retry_at: null,
      last_error: null,
      payment_method_id: input.paymentMethodId,
      status: 'scheduled',
      cancelled_at: null,
      created_by: caller.kind === 'member' ? caller.member.id : null,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('subscriptions').values(row).execute();
      await auditSubscription(trx, actorOf(caller), row, 'created', { amount: { before: null, after: amount }, startAt: { before: null, after: input.startAt } }, now);
      await billingLedger(trx, { workspaceId: row.workspace_id, contactId, kind: 'subscription.created', refType: 'subscription', refId: row.id, currency: row.currency, description: row.description, at: now });
    });
    this.events?.publish({ type: 'subscription.updated', workspaceId: caller.workspace.id, contactId, id: row.id });
    return subscriptionJson(row);
  }

  async cancel(caller: Caller, contactId: string, id: string, now: number): Promise<SubscriptionJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller.workspace.id, contactId, id);
    if (before.status === 'cancelled') throw conflict('This subscription is already cancelled.', { status: before.status });
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('subscriptions').set({ status: 'cancelled', cancelled_at: now, next_bill_at: null, retry_at: null, updated_at: now }).where('id', '=', id).execute();
      await auditSubscription(trx, actorOf(caller), before, 'cancelled', { status: { before: before.status, after: 'cancelled' } }, now);
      await billingLedger(trx, { workspaceId: before.workspace_id, contactId, kind: 'subscription.cancelled', refType: 'subscription', refId: id, currency: before.currency, description: before.description, at: now });
    });
    this.events?.publish({ type: 'subscription.updated', workspaceId: caller.workspace.id, contactId, id });
    return subscriptionJson(await this.row(caller.workspace.id, contactId, id));
  }
}
