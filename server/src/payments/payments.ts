// A contact's payments: provider customers, cards on file, charges (idempotent per key), refunds, the ledger, and
// reconciliation from the provider's webhooks. Every change is audited (its host webhook written in the same
// transaction), published on the live feed once committed, and shown in the contact's Activity (audit group
// `payment`). Card numbers never reach this module: it sees the provider's payment method ids and card summaries.
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Selectable } from 'kysely';
import type { PaymentChargesTable, PaymentMethodsTable, PaymentRefundsTable } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError, forbidden, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { writeAudit, type AuditContext } from '../domain/audit.js';
import { actorOf, getVisibleContact } from '../domain/contacts.js';
import type { EventFeed } from '../domain/events.js';
import { can } from '../domain/permissions.js';
import { writeLedger } from './ledger.js';
import { amountText } from '../../../packages/core/src/money.js';
import { ProviderError, WebhookSignatureError, type CardCollection, type PaymentProvider, type ProviderEvent } from './provider.js';

export interface CardJson {
  id: string;
  contactId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  label: string;
  isDefault: boolean;
  createdAt: number;
}

export interface ChargeJson {
  id: string;
  contactId: string;
  card: { id: string; brand: string; last4: string } | null;
  amount: number;
  currency: string;
  description: string;
  status: 'pending' | 'succeeded' | 'failed';
  failure: { code: string; message: string } | null;
  amountRefunded: number;
  /** What asked for it: `charge` (Charge now), `invoice`, `subscription`; and that record's id. */
  source: string;
  sourceId: string | null;
  createdAt: number;
}

export interface RefundJson {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: number;
}

export interface LedgerEntryJson {
  id: string;
  kind: string;
  amount: number;
  currency: string;
  description: string;
  chargeId: string | null;
  refundId: string | null;
  refType: string | null;
  refId: string | null;
  occurredAt: number;
  /** The charge the entry is about (its refundable amount and card), when there is one. */
  charge: ChargeJson | null;
}

export interface ChargeInput {
  cardId: string;
  amount: number;
  currency: string;
  description?: string;
  /** One per attempt (the dialog makes one each time it opens or the user picks another card). */
  idempotencyKey: string;
  source?: string;
  sourceId?: string | null;
}

export type LedgerCursor = [number, number, string];

/** The contact's default card: among its cards on file, the one made default last. */
const defaultOf = <T extends { default_at: number | null; removed_at: number | null }>(rows: T[]) =>
  rows.filter((r) => r.removed_at === null && r.default_at !== null).reduce<T | null>((a, b) => (!a || b.default_at! > a.default_at! ? b : a), null);

function cardJson(r: Selectable<PaymentMethodsTable>, isDefault: boolean): CardJson {
  return { id: r.id, contactId: r.contact_id, brand: r.brand, last4: r.last4, expMonth: r.exp_month, expYear: r.exp_year, label: r.label, isDefault, createdAt: r.created_at };
}

type ChargeRow = Selectable<PaymentChargesTable> & { card_brand: string | null; card_last4: string | null };
function chargeJson(r: ChargeRow): ChargeJson {
  return {
    id: r.id,
    contactId: r.contact_id,
    card: r.payment_method_id && r.card_last4 !== null ? { id: r.payment_method_id, brand: r.card_brand ?? '', last4: r.card_last4 } : null,
    amount: Number(r.amount),
    currency: r.currency,
    description: r.description,
    status: r.status,
    failure: r.status === 'failed' ? { code: r.failure_code ?? 'card_declined', message: r.failure_message ?? '' } : null,
    amountRefunded: Number(r.amount_refunded),
    source: r.source,
    sourceId: r.source_id,
    createdAt: r.created_at,
  };
}

const refundJson = (r: Selectable<PaymentRefundsTable>): RefundJson => ({ id: r.id, chargeId: r.charge_id, amount: Number(r.amount), currency: r.currency, reason: r.reason, status: r.status, createdAt: r.created_at });

/** Owners and managers, and members granted `payments.manage` (member_grants); the secret key may. */
export async function mayManagePayments(db: Db, caller: Caller): Promise<boolean> {
  if (caller.kind !== 'member' || can(caller.member.role, 'payments.manage')) return true;
  const grant = await db.selectFrom('member_grants').select('permission').where('member_id', '=', caller.member.id).where('permission', '=', 'payments.manage').executeTakeFirst();
  return Boolean(grant);
}

export async function assertManagePayments(db: Db, caller: Caller) {
  if (!(await mayManagePayments(db, caller))) throw forbidden('Only owners, managers and members granted payments.manage can charge, refund or manage cards.');
}

export const notConfigured = () => new ApiError(503, 'payments_not_configured', 'No payment provider is configured on this server (set PAYMENTS_PROVIDER).');

/** A provider refusal other than a decline (bad key, outage): 502, retryable ones say so. */
const providerFailed = (err: ProviderError) => new ApiError(502, 'provider_error', err.message, { providerCode: err.code, retryable: err.retryable });

export class Payments {
  constructor(
    private readonly db: Db,
    private readonly provider: PaymentProvider | undefined,
    private readonly events: EventFeed | undefined,
  ) {}

  private get p(): PaymentProvider {
    if (!this.provider) throw notConfigured();
    return this.provider;
  }

  private async provider_<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof ProviderError) throw providerFailed(err);
      throw err;
    }
  }

  private publish(caller: Caller | { workspace: { id: string } }, contactId: string, id: string, type: 'created' | 'updated' | 'deleted' = 'updated') {
    this.events?.publish({ type: `payment.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its payments.');
    return contact;
  }

  private audit(trx: Db, ws: string, contactId: string, actor: ReturnType<typeof actorOf>, action: string, payment: NonNullable<AuditContext['payment']>, now: number) {
    return writeAudit(trx, { workspaceId: ws, contactId, actor, action, changes: {}, context: { payment }, at: now });
  }

  /** What the browser needs to collect a card, and whether the caller may manage payments. */
  async config(caller: Caller): Promise<{ provider: CardCollection | null; canManage: boolean }> {
    return { provider: this.provider?.cardCollection() ?? null, canManage: await mayManagePayments(this.db, caller) };
  }

  /** The contact's provider customer, made on first use (one per contact and provider). */
  private async customerFor(caller: Caller, contact: { id: string; name: string; emails: { value: string }[] }, now: number) {
    const ws = caller.workspace.id;
    const found = await this.db.selectFrom('payment_customers').selectAll().where('workspace_id', '=', ws).where('contact_id', '=', contact.id).where('provider', '=', this.p.name).orderBy('created_at').executeTakeFirst();
    if (found) return found;
    const providerId = await this.provider_(() =>
      this.p.createCustomer({ name: contact.name, email: contact.emails[0]?.value ?? null, metadata: { workspace_id: ws, contact_id: contact.id } }, `customer:${ws}:${contact.id}`),
    );
    const row = { id: newId('pcu_', now), workspace_id: ws, contact_id: contact.id, provider: this.p.name, provider_customer_id: providerId, created_at: now };
    // A second request racing this one got the same provider customer (same idempotency key): keep one row.
    await this.db.insertInto('payment_customers').values(row).onConflict((oc) => oc.columns(['provider', 'provider_customer_id']).doNothing()).execute();
    return (await this.db.selectFrom('payment_customers').selectAll().where('provider', '=', this.p.name).where('provider_customer_id', '=', providerId).executeTakeFirstOrThrow());
  }

  // ── Cards ──────────────────────────────────────────────────────────────────────────────────────────────────────

  async listCards(caller: Caller, contactId: string): Promise<CardJson[]> {
    await getVisibleContact(this.db, caller, contactId);
    const rows = await this.db.selectFrom('payment_methods').selectAll().where('workspace_id', '=', caller.workspace.id).where('contact_id', '=', contactId).where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute();
    const def = defaultOf(rows);
    return rows.map((r) => cardJson(r, r.id === def?.id));
  }

  /** Starts adding a card: a setup intent whose client secret the browser confirms with the provider. */
  async startSetup(caller: Caller, contactId: string, now: number) {
    await assertManagePayments(this.db, caller);
    const contact = await this.writable(caller, contactId);
    const customer = await this.customerFor(caller, contact, now);
    const si = await this.provider_(() => this.p.createSetupIntent(customer.provider_customer_id, { workspace_id: caller.workspace.id, contact_id: contactId }));
    return { setupIntentId: si.id, clientSecret: si.clientSecret, collection: this.p.cardCollection() };
  }

  /** Saves the card a confirmed setup intent produced (the first card becomes the default). */
  async addCard(caller: Caller, contactId: string, input: { setupIntentId: string; paymentMethodId?: string; label?: string; makeDefault?: boolean }, now: number): Promise<CardJson> {
    await assertManagePayments(this.db, caller);
    const contact = await this.writable(caller, contactId);
    const customer = await this.customerFor(caller, contact, now);
    const pm = await this.provider_(() => this.p.completeSetup(input.setupIntentId, customer.provider_customer_id, input.paymentMethodId));
    const existing = await this.db.selectFrom('payment_methods').selectAll().where('provider', '=', this.p.name).where('provider_method_id', '=', pm.id).executeTakeFirst();
    if (existing) {
      if (existing.workspace_id !== caller.workspace.id || existing.contact_id !== contactId) throw invalidField('setupIntentId', 'This card belongs to another contact.');
      return (await this.listCards(caller, contactId)).find((c) => c.id === existing.id) ?? cardJson(existing, false);
    }
    const cards = await this.listCards(caller, contactId);
    const id = newId('pm_', now);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('payment_methods')
        .values({
          id,
          workspace_id: caller.workspace.id,
          contact_id: contactId,
          customer_id: customer.id,
          provider: this.p.name,
          provider_method_id: pm.id,
          brand: pm.brand,
          last4: pm.last4,
          exp_month: pm.expMonth,
          exp_year: pm.expYear,
          label: input.label?.trim() ?? '',
          default_at: input.makeDefault || !cards.length ? now : null,
          created_by: caller.kind === 'member' ? caller.member.id : null,
          created_at: now,
          removed_at: null,
        })
        .execute();
      await this.audit(trx, caller.workspace.id, contactId, actorOf(caller), 'payment.card_added', { id, card: { brand: pm.brand, last4: pm.last4 } }, now);
    });
    this.publish(caller, contactId, id, 'created');
    return (await this.listCards(caller, contactId)).find((c) => c.id === id)!;
  }

  private async cardRow(caller: Caller, contactId: string, cardId: string) {
    const row = await this.db.selectFrom('payment_methods').selectAll().where('workspace_id', '=', caller.workspace.id).where('contact_id', '=', contactId).where('id', '=', cardId).where('removed_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('Card');
    return row;
  }

  async updateCard(caller: Caller, contactId: string, cardId: string, patch: { label?: string; isDefault?: true }, now: number): Promise<CardJson> {
    await assertManagePayments(this.db, caller);
    await this.writable(caller, contactId);
    const row = await this.cardRow(caller, contactId, cardId);
    const label = patch.label?.trim();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('payment_methods')
        .set({ ...(label !== undefined && { label }), ...(patch.isDefault && { default_at: now }) })
        .where('id', '=', cardId)
        .execute();
      if (patch.isDefault) await this.audit(trx, caller.workspace.id, contactId, actorOf(caller), 'payment.card_default', { id: cardId, card: { brand: row.brand, last4: row.last4 } }, now);
    });
    this.publish(caller, contactId, cardId);
    return (await this.listCards(caller, contactId)).find((c) => c.id === cardId)!;
  }

  /** Detaches the card at the provider and takes it off file (the history still names it). */
  async removeCard(caller: Caller, contactId: string, cardId: string, now: number): Promise<CardJson> {
    await assertManagePayments(this.db, caller);
    await this.writable(caller, contactId);
    const row = await this.cardRow(caller, contactId, cardId);
    if (row.provider === this.provider?.name) await this.provider_(() => this.p.detachPaymentMethod(row.provider_method_id));
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('payment_methods').set({ removed_at: now }).where('id', '=', cardId).execute();
      await this.audit(trx, caller.workspace.id, contactId, actorOf(caller), 'payment.card_removed', { id: cardId, card: { brand: row.brand, last4: row.last4 } }, now);
    });
    this.publish(caller, contactId, cardId, 'deleted');
    return cardJson(row, false);
  }

  // ── Charges ────────────────────────────────────────────────────────────────────────────────────────────────────

  private charges(db: Db = this.db) {
    return db.selectFrom('payment_charges as c').leftJoin('payment_methods as m', 'm.id', 'c.payment_method_id').selectAll('c').select(['m.brand as card_brand', 'm.last4 as card_last4']);
  }

  async charge(caller: Caller, contactId: string, id: string): Promise<ChargeJson> {
    await getVisibleContact(this.db, caller, contactId);
    const row = (await this.charges().where('c.workspace_id', '=', caller.workspace.id).where('c.contact_id', '=', contactId).where('c.id', '=', id).executeTakeFirst()) as ChargeRow | undefined;
    if (!row) throw notFound('Charge');
    return chargeJson(row);
  }

  /** The charge a webhook or another feature names by id (inside a transaction), for webhook payloads. */
  static async chargeJson(db: Db, id: string): Promise<ChargeJson | null> {
    const row = (await new Payments(db, undefined, undefined).charges(db).where('c.id', '=', id).executeTakeFirst()) as ChargeRow | undefined;
    return row ? chargeJson(row) : null;
  }

  /**
   * Charges a saved card (Charge now; invoices and subscriptions call this too, with their `source`). Idempotent per
   * key: a retried request answers the charge the first one made and never charges twice (the provider gets the same
   * Idempotency-Key). A decline is recorded (ledger, audit, Activity) and answered as 402 `card_declined`.
   */
  async chargeCard(caller: Caller, contactId: string, input: ChargeInput, now: number): Promise<ChargeJson> {
    await assertManagePayments(this.db, caller);
    const ws = caller.workspace.id;
    const same = await this.charges().where('c.workspace_id', '=', ws).where('c.idempotency_key', '=', input.idempotencyKey).executeTakeFirst() as ChargeRow | undefined;
    if (same) return this.replayed(same, contactId, input);
    await this.writable(caller, contactId);
    const card = await this.cardRow(caller, contactId, input.cardId);
    const customer = await this.db.selectFrom('payment_customers').selectAll().where('id', '=', card.customer_id).executeTakeFirstOrThrow();
    if (card.provider !== this.p.name) throw invalidField('cardId', 'This card was saved with another payment provider.');
    const id = newId('ch_', now);
    const description = input.description?.trim() ?? '';
    try {
      await this.db
        .insertInto('payment_charges')
        .values({ id, workspace_id: ws, contact_id: contactId, payment_method_id: card.id, provider: this.p.name, provider_charge_id: null, amount: input.amount, currency: input.currency, description, status: 'pending', failure_code: null, failure_message: null, idempotency_key: input.idempotencyKey, source: input.source ?? 'charge', source_id: input.sourceId ?? null, created_by: caller.kind === 'member' ? caller.member.id : null, created_at: now, updated_at: now })
        .execute();
    } catch (err) {
      // The same key raced in: answer what that request made.
      const raced = await this.charges().where('c.workspace_id', '=', ws).where('c.idempotency_key', '=', input.idempotencyKey).executeTakeFirst() as ChargeRow | undefined;
      if (raced) return this.replayed(raced, contactId, input);
      throw err;
    }
    let result;
    try {
      result = await this.p.chargeSaved({
        customerId: customer.provider_customer_id,
        paymentMethodId: card.provider_method_id,
        amount: input.amount,
        currency: input.currency,
        idempotencyKey: `charge:${ws}:${input.idempotencyKey}`,
        description,
        metadata: { workspace_id: ws, contact_id: contactId, dossier_charge_id: id },
      });
    } catch (err) {
      // Unknown outcome (timeout) or a refusal: the row stays pending; a retry with the same key asks the provider
      // again with the same Idempotency-Key, and the provider's webhook settles it meanwhile.
      if (err instanceof ProviderError) throw providerFailed(err);
      throw err;
    }
    await this.settle(ws, id, contactId, actorOf(caller), result.status === 'succeeded' ? { status: 'succeeded', providerChargeId: result.providerChargeId } : { status: 'failed', providerChargeId: result.providerChargeId, code: result.declineCode ?? result.code, message: result.message }, now, null);
    return this.answer(await this.charge(caller, contactId, id));
  }

  /** A charge found by its idempotency key: the same request again (answered as before) or a key reused for another. */
  private async replayed(row: ChargeRow, contactId: string, input: ChargeInput): Promise<ChargeJson> {
    if (row.contact_id !== contactId || row.payment_method_id !== input.cardId || Number(row.amount) !== input.amount || row.currency !== input.currency) {
      throw new ApiError(409, 'idempotency_key_reused', 'This idempotency key was used for another charge; send a new key for a new attempt.');
    }
    if (row.status === 'pending') {
      // The first request's outcome is unknown (its provider call failed): ask again under the same key.
      const card = await this.db.selectFrom('payment_methods as m').innerJoin('payment_customers as u', 'u.id', 'm.customer_id').select(['m.provider_method_id', 'u.provider_customer_id']).where('m.id', '=', row.payment_method_id!).executeTakeFirstOrThrow();
      const result = await this.provider_(() =>
        this.p.chargeSaved({ customerId: card.provider_customer_id, paymentMethodId: card.provider_method_id, amount: Number(row.amount), currency: row.currency, idempotencyKey: `charge:${row.workspace_id}:${row.idempotency_key}`, description: row.description, metadata: { workspace_id: row.workspace_id, contact_id: row.contact_id, dossier_charge_id: row.id } }),
      );
      await this.settle(row.workspace_id, row.id, row.contact_id, { id: row.created_by, type: row.created_by ? 'member' : 'api' }, result.status === 'succeeded' ? { status: 'succeeded', providerChargeId: result.providerChargeId } : { status: 'failed', providerChargeId: result.providerChargeId, code: result.declineCode ?? result.code, message: result.message }, Date.now(), null);
    }
    const now = (await Payments.chargeJson(this.db, row.id))!;
    return this.answer(now);
  }

  /** A declined charge answers 402 with the provider's reason (and the charge); others answer the charge. */
  private answer(charge: ChargeJson): ChargeJson {
    if (charge.status === 'failed') throw new ApiError(402, 'card_declined', charge.failure?.message || 'The card was declined.', { charge, reason: charge.failure?.code ?? 'card_declined' });
    return charge;
  }

  /**
   * Moves a charge to its outcome (from the provider's answer or its webhook, in either order): pending → succeeded
   * or failed; a failed one may still succeed (the provider retried), a succeeded one never goes back. Writes its
   * ledger entry, audit row (with the host webhook) and publishes, once.
   */
  private async settle(ws: string, chargeId: string, contactId: string, actor: ReturnType<typeof actorOf>, outcome: { status: 'succeeded'; providerChargeId: string } | { status: 'failed'; providerChargeId: string | null; code: string; message: string }, now: number, eventId: string | null, db?: Db) {
    const run = async (trx: Db) => {
      const row = await trx.selectFrom('payment_charges').selectAll().where('id', '=', chargeId).executeTakeFirstOrThrow();
      if (row.status === 'succeeded' || (row.status === 'failed' && outcome.status === 'failed')) {
        if (!row.provider_charge_id && outcome.providerChargeId) await trx.updateTable('payment_charges').set({ provider_charge_id: outcome.providerChargeId }).where('id', '=', chargeId).execute();
        return false;
      }
      await trx
        .updateTable('payment_charges')
        .set({ status: outcome.status, provider_charge_id: outcome.providerChargeId ?? row.provider_charge_id, failure_code: outcome.status === 'failed' ? outcome.code : null, failure_message: outcome.status === 'failed' ? outcome.message : null, updated_at: now })
        .where('id', '=', chargeId)
        .execute();
      const card = row.payment_method_id ? await trx.selectFrom('payment_methods').select(['brand', 'last4']).where('id', '=', row.payment_method_id).executeTakeFirst() : undefined;
      const kind = outcome.status === 'succeeded' ? 'charge.succeeded' : 'charge.failed';
      await writeLedger(trx, { workspaceId: ws, contactId: row.contact_id, entryKey: `charge:${chargeId}:${outcome.status}`, kind, amount: outcome.status === 'succeeded' ? Number(row.amount) : 0, currency: row.currency, description: row.description, chargeId, refType: row.source === 'charge' ? null : row.source, refId: row.source_id, providerEventId: eventId, occurredAt: now, now });
      await this.audit(trx, ws, row.contact_id, actor, outcome.status === 'succeeded' ? 'payment.charge_succeeded' : 'payment.charge_failed', {
        id: chargeId,
        amount: Number(row.amount),
        currency: row.currency,
        description: row.description,
        ...(card && { card }),
        ...(outcome.status === 'failed' && { failure: outcome.message }),
      }, now);
      return true;
    };
    const changed = db ? await run(db) : await this.db.transaction().execute(run);
    if (changed) this.publish({ workspace: { id: ws } }, contactId, chargeId);
    return changed;
  }

  // ── Refunds ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Refunds all that is left of a succeeded charge (amount omitted) or part of it; idempotent per key. */
  async refund(caller: Caller, contactId: string, chargeId: string, input: { amount?: number; reason?: string; idempotencyKey: string }, now: number): Promise<RefundJson> {
    await assertManagePayments(this.db, caller);
    const ws = caller.workspace.id;
    const same = await this.db.selectFrom('payment_refunds').selectAll().where('workspace_id', '=', ws).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (same) {
      if (same.charge_id !== chargeId || (input.amount !== undefined && Number(same.amount) !== input.amount)) throw new ApiError(409, 'idempotency_key_reused', 'This idempotency key was used for another refund.');
      return refundJson(same);
    }
    await this.writable(caller, contactId);
    const charge = await this.charge(caller, contactId, chargeId);
    const row = await this.db.selectFrom('payment_charges').selectAll().where('id', '=', chargeId).executeTakeFirstOrThrow();
    if (charge.status !== 'succeeded' || !row.provider_charge_id) throw new ApiError(409, 'not_refundable', 'Only a succeeded charge can be refunded.');
    // Refunds still pending count against what is left.
    const pending = await this.db.selectFrom('payment_refunds').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('sum')).where('charge_id', '=', chargeId).where('status', '=', 'pending').executeTakeFirst();
    const left = charge.amount - charge.amountRefunded - Number(pending?.sum ?? 0);
    const amount = input.amount ?? left;
    if (amount <= 0 || amount > left) throw invalidField('amount', `At most ${amountText(left, charge.currency)} ${charge.currency.toUpperCase()} of this charge can be refunded.`);
    const id = newId('rf_', now);
    await this.db
      .insertInto('payment_refunds')
      .values({ id, workspace_id: ws, contact_id: contactId, charge_id: chargeId, provider_refund_id: null, amount, currency: charge.currency, reason: input.reason?.trim() ?? '', status: 'pending', failure_message: null, idempotency_key: input.idempotencyKey, created_by: caller.kind === 'member' ? caller.member.id : null, created_at: now, updated_at: now })
      .execute();
    const result = await this.provider_(() => this.p.refund({ providerChargeId: row.provider_charge_id!, amount, idempotencyKey: `refund:${ws}:${input.idempotencyKey}`, metadata: { workspace_id: ws, contact_id: contactId, dossier_charge_id: chargeId, dossier_refund_id: id } }));
    if (result.status === 'pending') {
      await this.db.updateTable('payment_refunds').set({ provider_refund_id: result.providerRefundId }).where('id', '=', id).execute();
    } else {
      await this.db.transaction().execute((trx) => this.settleRefund(trx, ws, id, actorOf(caller), result.status === 'succeeded' ? { status: 'succeeded', providerRefundId: result.providerRefundId } : { status: 'failed', providerRefundId: result.providerRefundId, message: result.message }, now, null));
      this.publish(caller, contactId, id);
    }
    return refundJson(await this.db.selectFrom('payment_refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  /** A refund's outcome, once (pending → succeeded / failed); the charge's refunded amount is the sum of its succeeded refunds. */
  private async settleRefund(trx: Db, ws: string, refundId: string, actor: ReturnType<typeof actorOf>, outcome: { status: 'succeeded' | 'failed'; providerRefundId: string | null; message?: string }, now: number, eventId: string | null) {
    const row = await trx.selectFrom('payment_refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
    if (row.status !== 'pending') return false;
    await trx.updateTable('payment_refunds').set({ status: outcome.status, provider_refund_id: outcome.providerRefundId ?? row.provider_refund_id, failure_message: outcome.message ?? null, updated_at: now }).where('id', '=', refundId).execute();
    if (outcome.status === 'failed') return true;
    const total = await trx.selectFrom('payment_refunds').select((eb) => eb.fn.sum<number>('amount').as('sum')).where('charge_id', '=', row.charge_id).where('status', '=', 'succeeded').executeTakeFirst();
    await trx.updateTable('payment_charges').set({ amount_refunded: Number(total?.sum ?? 0), updated_at: now }).where('id', '=', row.charge_id).execute();
    const charge = await trx.selectFrom('payment_charges').select(['description', 'source', 'source_id']).where('id', '=', row.charge_id).executeTakeFirstOrThrow();
    await writeLedger(trx, { workspaceId: ws, contactId: row.contact_id, entryKey: `refund:${refundId}:succeeded`, kind: 'refund.succeeded', amount: -Number(row.amount), currency: row.currency, description: row.reason || charge.description, chargeId: row.charge_id, refundId, refType: charge.source === 'charge' ? null : charge.source, refId: charge.source_id, providerEventId: eventId, occurredAt: now, now });
    await this.audit(trx, ws, row.contact_id, actor, 'payment.refunded', { id: refundId, chargeId: row.charge_id, amount: Number(row.amount), currency: row.currency, description: row.reason || charge.description }, now);
    return true;
  }

  // ── History ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** The contact's ledger, newest first, keyset-paged; each entry with its charge. */
  async history(caller: Caller, contactId: string, o: { limit: number; after?: LedgerCursor }) {
    await getVisibleContact(this.db, caller, contactId);
    let q = this.db.selectFrom('payment_ledger').selectAll().where('workspace_id', '=', caller.workspace.id).where('contact_id', '=', contactId);
    if (o.after) {
      const [at, seq, id] = o.after;
      q = q.where((eb) => eb.or([eb('occurred_at', '<', at), eb.and([eb('occurred_at', '=', at), eb.or([eb('seq', '<', seq), eb.and([eb('seq', '=', seq), eb('id', '<', id)])])])]));
    }
    const rows = await q.orderBy('occurred_at', 'desc').orderBy('seq', 'desc').orderBy('id', 'desc').limit(o.limit + 1).execute();
    const shown = rows.slice(0, o.limit);
    const chargeIds = [...new Set(shown.map((r) => r.charge_id).filter((x): x is string => Boolean(x)))];
    const charges = chargeIds.length ? ((await this.charges().where('c.id', 'in', chargeIds).execute()) as unknown as ChargeRow[]).map(chargeJson) : [];
    const byId = new Map(charges.map((c) => [c.id, c]));
    const items: LedgerEntryJson[] = shown.map((r) => ({
      id: r.id,
      kind: r.kind,
      amount: Number(r.amount),
      currency: r.currency,
      description: r.description,
      chargeId: r.charge_id,
      refundId: r.refund_id,
      refType: r.ref_type,
      refId: r.ref_id,
      occurredAt: r.occurred_at,
      charge: r.charge_id ? (byId.get(r.charge_id) ?? null) : null,
    }));
    const last = shown[shown.length - 1];
    return { items, next: rows.length > o.limit && last ? ([last.occurred_at, Number(last.seq), last.id] as LedgerCursor) : null };
  }

  // ── Provider webhooks ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Applies a provider webhook: the signature is checked first (400 `invalid_signature`); an event already applied
   * changes nothing (its id is recorded in the same transaction as its effects); outcomes apply in any order (settle).
   */
  async webhook(rawBody: string, signature: string | undefined, now: number): Promise<{ received: true; duplicate: boolean; applied: boolean }> {
    let event: ProviderEvent;
    try {
      event = this.p.parseWebhook(rawBody, signature);
    } catch (err) {
      if (err instanceof WebhookSignatureError) throw new ApiError(400, 'invalid_signature', err.message);
      throw new ApiError(400, 'bad_request', `The webhook body is not an event: ${(err as Error).message}`);
    }
    const provider = this.p.name;
    const touched: { ws: string; contactId: string; id: string }[] = [];
    const outcome = await this.db.transaction().execute(async (trx) => {
      const fresh = await trx
        .insertInto('payment_webhook_events')
        .values({ provider, event_id: event.id, workspace_id: event.metadata.workspace_id ?? null, type: event.type, received_at: now })
        .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
        .executeTakeFirst();
      if (!Number(fresh.numInsertedOrUpdatedRows ?? 0)) return { duplicate: true, applied: false };
      const system = { id: null, type: 'system' as const };
      if (event.kind === 'payment.succeeded' || event.kind === 'payment.failed') {
        const charge = await this.findCharge(trx, event);
        if (!charge) return { duplicate: false, applied: false };
        const applied = await this.settle(charge.workspace_id, charge.id, charge.contact_id, system,
          event.kind === 'payment.succeeded' ? { status: 'succeeded', providerChargeId: event.providerChargeId! } : { status: 'failed', providerChargeId: event.providerChargeId, code: event.failure?.declineCode ?? event.failure?.code ?? 'card_declined', message: event.failure?.message ?? '' },
          now, event.id, trx);
        if (applied) touched.push({ ws: charge.workspace_id, contactId: charge.contact_id, id: charge.id });
        return { duplicate: false, applied };
      }
      if (event.kind === 'refund.succeeded' || event.kind === 'refund.failed') {
        const refund = await this.findRefund(trx, event, now);
        if (!refund) return { duplicate: false, applied: false };
        const applied = await this.settleRefund(trx, refund.workspace_id, refund.id, system, { status: event.kind === 'refund.succeeded' ? 'succeeded' : 'failed', providerRefundId: event.providerRefundId }, now, event.id);
        if (applied) touched.push({ ws: refund.workspace_id, contactId: refund.contact_id, id: refund.id });
        return { duplicate: false, applied };
      }
      return { duplicate: false, applied: false };
    });
    for (const t of touched) this.publish({ workspace: { id: t.ws } }, t.contactId, t.id);
    return { received: true, ...outcome };
  }

  private async findCharge(trx: Db, event: ProviderEvent) {
    const byOurs = event.metadata.dossier_charge_id;
    let q = trx.selectFrom('payment_charges').selectAll().where('provider', '=', this.p.name);
    q = byOurs ? q.where('id', '=', byOurs) : q.where('provider_charge_id', '=', event.providerChargeId ?? '');
    const row = await q.executeTakeFirst();
    // A payment made outside Dossier (no charge of ours) is not ours to record; metadata must agree with the row.
    if (!row || (event.metadata.workspace_id && event.metadata.workspace_id !== row.workspace_id)) return null;
    return row;
  }

  /** The refund an event is about; one made at the provider (its dashboard) is recorded against our charge. */
  private async findRefund(trx: Db, event: ProviderEvent, now: number) {
    const ours = event.metadata.dossier_refund_id;
    const found = ours
      ? await trx.selectFrom('payment_refunds').selectAll().where('id', '=', ours).executeTakeFirst()
      : await trx.selectFrom('payment_refunds').selectAll().where('provider_refund_id', '=', event.providerRefundId ?? '').executeTakeFirst();
    if (found) return found;
    if (!event.providerChargeId || !event.providerRefundId || event.amount === null) return null;
    const charge = await trx.selectFrom('payment_charges').selectAll().where('provider', '=', this.p.name).where('provider_charge_id', '=', event.providerChargeId).executeTakeFirst();
    if (!charge) return null;
    const row = { id: newId('rf_', now), workspace_id: charge.workspace_id, contact_id: charge.contact_id, charge_id: charge.id, provider_refund_id: event.providerRefundId, amount: event.amount, currency: charge.currency, reason: '', status: 'pending' as const, failure_message: null, idempotency_key: `provider:${event.providerRefundId}`, created_by: null, created_at: now, updated_at: now };
    await trx.insertInto('payment_refunds').values(row).execute();
    return row;
  }
}
