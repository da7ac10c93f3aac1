// Bills due subscriptions. Each attempt of each period has its own idempotency key, written (as a pending
// subscription_charges row) before the provider is asked: a runner that dies mid-charge finds the pending row on
// its next round and asks again with the same key, which the provider answers with the first result — so a period
// is never charged twice, on one process or several. A failed bill makes the subscription past_due and is tried
// again a day later, up to MAX_ATTEMPTS; then the subscription stays past_due until someone acts.
import type { Db } from '../../db/connection.js';
import type { SubscriptionsTable } from '../../db/schema-billing.js';
import type { Clock } from '../../deps.js';
import { newId } from '../../ids.js';
import { log } from '../../log.js';
import type { EventFeed } from '../events.js';
import type { CardCharger } from './charger.js';
import { billDate } from './schedule.js';
import { auditSubscription } from './subscriptions.js';
import { billingLedger } from './ledger.js';

export const RETRY_MS = 86_400_000;
export const MAX_ATTEMPTS = 4;
const SYSTEM = { id: null, type: 'system' as const };

export const idempotencyKey = (subscriptionId: string, period: number, attempt: number) => `${subscriptionId}:p${period}:a${attempt}`;

export class BillingRunner {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly deps: { db: Db; clock: Clock; cards: CardCharger; events?: EventFeed },
    private readonly pollMs = 60_000,
  ) {}

  start(): this {
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
    void this.tick();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick() {
    this.running ??= this.runDue().catch((err) => (log.error('billing run failed', err), 0)).finally(() => (this.running = null));
    return this.running;
  }

  /** Bills every subscription due now; returns how many periods it tried. */
  async runDue(): Promise<number> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const due = await db
      .selectFrom('subscriptions')
      .selectAll()
      .where('status', 'in', ['scheduled', 'active', 'past_due'])
      .where('next_bill_at', '<=', now)
      .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<=', now)]))
      .orderBy('next_bill_at')
      .limit(100)
      .execute();
    let tried = 0;
    for (const sub of due) {
      if (sub.attempts >= MAX_ATTEMPTS) continue;
      try {
        await this.bill(sub, now);
      } catch (err) {
        // The provider did not answer (or failed otherwise): the pending attempt is asked again, same key, next round.
        log.error(`billing ${sub.id} period ${sub.periods_billed} failed`, err);
      }
      tried++;
    }
    return tried;
  }

  private async bill(sub: SubscriptionsTable, now: number): Promise<void> {
    const { db, cards } = this.deps;
    const period = sub.periods_billed;
    const attempt = sub.attempts;
    const key = idempotencyKey(sub.id, period, attempt);
    // Claim the attempt; a row already there is an attempt cut short (asked again with its key) or one another
    // process is making (its outcome update below finds the subscription moved on and changes nothing).
    await db
      .insertInto('subscription_charges')
      .values({ id: newId('sc_', now), workspace_id: sub.workspace_id, subscription_id: sub.id, period, attempt, idempotency_key: key, amount: sub.amount, currency: sub.currency, status: 'pending', charge_id: null, error: null, created_at: now, settled_at: null })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    const result = await cards.charge({
      workspaceId: sub.workspace_id,
      contactId: sub.contact_id,
      paymentMethodId: sub.payment_method_id,
      amount: sub.amount,
      currency: sub.currency,
      description: `${sub.description} (${period + 1})`,
      idempotencyKey: key,
      ref: { subscriptionId: sub.id },
    });
    await db.transaction().execute(async (trx) => {
      const settled = await trx
        .updateTable('subscription_charges')
        .set({ status: result.ok ? 'succeeded' : 'failed', charge_id: result.ok ? result.chargeId : null, error: result.ok ? null : result.reason, settled_at: now })
        .where('idempotency_key', '=', key)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(settled.numUpdatedRows) !== 1) return; // another runner recorded this attempt
      if (result.ok) {
        const next = billDate(sub.start_at, sub.interval, sub.interval_count, period + 1);
        await trx.updateTable('subscriptions').set({ status: 'active', periods_billed: period + 1, next_bill_at: next, attempts: 0, retry_at: null, last_error: null, updated_at: now }).where('id', '=', sub.id).where('status', '!=', 'cancelled').execute();
        await auditSubscription(trx, SYSTEM, sub, 'charged', { period: { before: period, after: period + 1 }, amount: { before: null, after: sub.amount }, nextBillAt: { before: sub.next_bill_at, after: next } }, now);
        await billingLedger(trx, { workspaceId: sub.workspace_id, contactId: sub.contact_id, kind: 'subscription.charged', refType: 'subscription', refId: sub.id, key: `p${period}`, currency: sub.currency, description: `${sub.description} (${period + 1})`, chargeId: result.chargeId, at: now });
      } else {
        await trx.updateTable('subscriptions').set({ status: 'past_due', attempts: attempt + 1, retry_at: now + RETRY_MS, last_error: result.reason, updated_at: now }).where('id', '=', sub.id).where('status', '!=', 'cancelled').execute();
        await auditSubscription(trx, SYSTEM, sub, 'payment_failed', { status: { before: sub.status, after: 'past_due' }, reason: { before: null, after: result.reason } }, now);
        await billingLedger(trx, { workspaceId: sub.workspace_id, contactId: sub.contact_id, kind: 'subscription.payment_failed', refType: 'subscription', refId: sub.id, key: `p${period}a${attempt}`, currency: sub.currency, description: `${sub.description} (${period + 1}): ${result.reason}`, at: now });
      }
    });
    this.deps.events?.publish({ type: 'subscription.updated', workspaceId: sub.workspace_id, contactId: sub.contact_id, id: sub.id });
  }
}
