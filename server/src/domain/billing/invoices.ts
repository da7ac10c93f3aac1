// A contact's invoices: built from price-list products or free lines, totals computed here with the shared money
// module (packages/core/src/money.ts, the same code the widget shows live), numbered per workspace, and moved
// draft → sent → paid / void. Dossier does not deliver an invoice: "send" records the channel, and the host
// delivers it from the `invoice-send` DOM event or the `invoice.sent` webhook, both carrying the hosted link.
import type { Db } from '../../db/connection.js';
import type { InvoiceChannel, InvoiceStatus, InvoicesTable } from '../../db/schema-billing.js';
import '../../db/schema-billing.js';
import type { Caller } from '../../http/env.js';
import { ApiError, conflict, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { amountText, computeTotals, MoneyError, parsePercent, parseQuantity, type Discount, type Totals } from '../../../../packages/core/src/money.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf, getVisibleContact, type Address } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { Products } from './products.js';
import { billingLedger } from './ledger.js';

export const MAX_LINES = 100;
export const MAX_NOTES = 5_000;
export const MAX_LINE_TEXT = 500;

/** A discount on the wire: a percentage as a decimal string ("12.5"), or a fixed amount in minor units. */
export type DiscountInput = { percent: string } | { amount: number };

export interface LineInput {
  /** A price-list product; its name and price fill what the line leaves out. */
  productId?: string;
  description?: string;
  /** Up to 3 decimals, as a string ("1.5"); default "1". */
  quantity?: string;
  /** Minor units per unit. */
  unitAmount?: number;
  discount?: DiscountInput | null;
  taxIds?: string[];
}

export interface TaxInput {
  id: string;
  name: string;
  /** Decimal string, up to 3 decimals: "8.875". */
  percent: string;
}

export interface BillTo {
  name: string;
  email: string | null;
  address: Address | null;
}

export interface InvoiceInput {
  currency: string;
  billTo?: Partial<BillTo>;
  lines: LineInput[];
  taxes?: TaxInput[];
  discount?: DiscountInput | null;
  dueAt: number;
  notes?: string;
}

interface StoredLine {
  productId: string | null;
  description: string;
  quantity: string;
  unitAmount: number;
  discount: DiscountInput | null;
  taxIds: string[];
}

export interface InvoiceLineJson extends StoredLine {
  amount: number;
  discountAmount: number;
  invoiceDiscountAmount: number;
  taxAmount: number;
  total: number;
}

export interface InvoiceJson {
  id: string;
  contactId: string;
  number: string;
  status: InvoiceStatus;
  currency: string;
  billTo: BillTo;
  lines: InvoiceLineJson[];
  taxes: (TaxInput & { taxable: number; amount: number })[];
  discount: DiscountInput | null;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  dueAt: number;
  notes: string;
  sentChannel: InvoiceChannel | null;
  sentAt: number | null;
  /** The public page of a sent invoice (signed link). */
  hostedUrl: string | null;
  paidAt: number | null;
  paidMethod: 'card' | 'manual' | null;
  paidNote: string | null;
  chargeId: string | null;
  voidedAt: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

function toDiscount(d: DiscountInput | null | undefined, path: string): Discount | null {
  if (!d) return null;
  if ('percent' in d) {
    const percent = parsePercent(d.percent);
    if (percent === null) throw invalidField(`${path}.percent`, 'A percentage has at most 3 decimals.');
    return { kind: 'percent', percent };
  }
  return { kind: 'fixed', amount: d.amount };
}

/** The totals of stored lines; a MoneyError becomes a 422 on the field it names. */
export function totalsOf(lines: StoredLine[], taxes: TaxInput[], discount: DiscountInput | null): Totals {
  try {
    return computeTotals({
      lines: lines.map((l, i) => ({ quantity: parseQuantity(l.quantity) ?? -1, unitAmount: l.unitAmount, discount: toDiscount(l.discount, `lines[${i}].discount`), taxIds: l.taxIds })),
      taxes: taxes.map((t, i) => {
        const percent = parsePercent(t.percent);
        if (percent === null) throw invalidField(`taxes[${i}].percent`, 'A tax rate has at most 3 decimals.');
        return { id: t.id, name: t.name, percent };
      }),
      discount: toDiscount(discount, 'discount'),
    });
  } catch (err) {
    if (err instanceof MoneyError) throw invalidField(err.path, err.message);
    throw err;
  }
}

function toJson(r: InvoicesTable): InvoiceJson {
  const lines = JSON.parse(r.lines) as StoredLine[];
  const taxes = JSON.parse(r.taxes) as TaxInput[];
  const discount = r.discount ? (JSON.parse(r.discount) as DiscountInput) : null;
  const totals = totalsOf(lines, taxes, discount);
  return {
    id: r.id,
    contactId: r.contact_id,
    number: r.number,
    status: r.status,
    currency: r.currency,
    billTo: JSON.parse(r.bill_to) as BillTo,
    lines: lines.map((l, i) => {
      const t = totals.lines[i]!;
      return { ...l, amount: t.amount, discountAmount: t.discount, invoiceDiscountAmount: t.invoiceDiscount, taxAmount: t.total - t.taxable, total: t.total };
    }),
    taxes: taxes.map((t, i) => ({ ...t, taxable: totals.taxes[i]!.taxable, amount: totals.taxes[i]!.amount })),
    discount,
    subtotal: r.subtotal,
    discountTotal: r.discount_total,
    taxTotal: r.tax_total,
    total: r.total,
    dueAt: r.due_at,
    notes: r.notes,
    sentChannel: r.sent_channel,
    sentAt: r.sent_at,
    hostedUrl: r.hosted_url,
    paidAt: r.paid_at,
    paidMethod: r.paid_method,
    paidNote: r.paid_note,
    chargeId: r.charge_id,
    voidedAt: r.voided_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Invoice numbers: INV-0001, INV-0002… per workspace, taken inside the creating transaction. */
async function nextNumber(trx: Db, workspaceId: string): Promise<string> {
  const row = await trx.selectFrom('invoice_sequences').select('last_number').where('workspace_id', '=', workspaceId).executeTakeFirst();
  const n = (row?.last_number ?? 0) + 1;
  if (row) await trx.updateTable('invoice_sequences').set({ last_number: n }).where('workspace_id', '=', workspaceId).where('last_number', '=', n - 1).execute();
  else await trx.insertInto('invoice_sequences').values({ workspace_id: workspaceId, last_number: n }).execute();
  return `INV-${String(n).padStart(4, '0')}`;
}

export type InvoiceAction = 'created' | 'updated' | 'sent' | 'paid' | 'voided';

export class Invoices {
  private readonly products: Products;
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {
    this.products = new Products(db);
  }

  async list(caller: Caller, contactId: string): Promise<InvoiceJson[]> {
    await getVisibleContact(this.db, caller, contactId);
    const rows = await this.db.selectFrom('invoices').selectAll().where('workspace_id', '=', caller.workspace.id).where('contact_id', '=', contactId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
    return rows.map(toJson);
  }

  async get(caller: Caller, contactId: string, id: string): Promise<InvoiceJson> {
    await getVisibleContact(this.db, caller, contactId);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }

  private async row(workspaceId: string, contactId: string, id: string, db: Db = this.db): Promise<InvoicesTable> {
    const row = await db.selectFrom('invoices').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Invoice');
    return row;
  }

  /** An invoice by id alone in a workspace (the hosted page and webhooks). */
  static async byId(db: Db, workspaceId: string, id: string): Promise<InvoiceJson | null> {
    const row = await db.selectFrom('invoices').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return row ? toJson(row) : null;
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its invoices.');
    return contact;
  }

  /** Lines with the product's name and price filled in; a product must be in the invoice's currency. */
  private async resolveLines(caller: Caller, input: InvoiceInput): Promise<StoredLine[]> {
    const taxIds = new Set((input.taxes ?? []).map((t) => t.id));
    const out: StoredLine[] = [];
    for (const [i, l] of input.lines.entries()) {
      let description = l.description;
      let unitAmount = l.unitAmount;
      if (l.productId) {
        const p = await this.products.row(caller.workspace.id, l.productId).catch(() => {
          throw invalidField(`lines[${i}].productId`, `No product ${l.productId} in this workspace.`);
        });
        if (p.currency !== input.currency) throw invalidField(`lines[${i}].productId`, `This product is priced in ${p.currency}, the invoice in ${input.currency}.`);
        description ??= p.name;
        unitAmount ??= p.unit_amount;
      }
      if (!description) throw invalidField(`lines[${i}].description`, 'Describe the line or choose a product.');
      if (unitAmount === undefined) throw invalidField(`lines[${i}].unitAmount`, 'Give the line a unit price or choose a product.');
      const quantity = l.quantity ?? '1';
      if (parseQuantity(quantity) === null) throw invalidField(`lines[${i}].quantity`, 'A quantity has at most 3 decimals.');
      for (const id of l.taxIds ?? []) if (!taxIds.has(id)) throw invalidField(`lines[${i}].taxIds`, `No tax rate "${id}" on this invoice.`);
      out.push({ productId: l.productId ?? null, description, quantity, unitAmount, discount: l.discount ?? null, taxIds: [...new Set(l.taxIds ?? [])] });
    }
    return out;
  }

  private async columns(caller: Caller, input: InvoiceInput, billTo: BillTo) {
    const ids = (input.taxes ?? []).map((t) => t.id);
    if (new Set(ids).size !== ids.length) throw invalidField('taxes', 'Each tax rate needs its own id.');
    const lines = await this.resolveLines(caller, input);
    const taxes = input.taxes ?? [];
    const discount = input.discount ?? null;
    const totals = totalsOf(lines, taxes, discount);
    return {
      currency: input.currency,
      bill_to: JSON.stringify(billTo),
      lines: JSON.stringify(lines),
      taxes: JSON.stringify(taxes),
      discount: discount ? JSON.stringify(discount) : null,
      subtotal: totals.subtotal,
      discount_total: totals.discount,
      tax_total: totals.tax,
      total: totals.total,
      due_at: input.dueAt,
      notes: input.notes ?? '',
    };
  }

  private publish(caller: Caller, contactId: string, id: string) {
    this.events?.publish({ type: 'invoice.updated', workspaceId: caller.workspace.id, contactId, id });
  }

  private audit(trx: Db, caller: Caller, row: Pick<InvoicesTable, 'id' | 'number' | 'contact_id'>, action: InvoiceAction, changes: Changes, now: number) {
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId: row.contact_id, actor: actorOf(caller), action: `invoice.${action}`, changes, context: { invoice: { id: row.id, name: row.number } }, at: now });
  }

  async create(caller: Caller, contactId: string, input: InvoiceInput, now: number): Promise<InvoiceJson> {
    const contact = await this.writable(caller, contactId);
    // Prefilled from the contact; whatever the builder sends instead wins.
    const billTo: BillTo = {
      name: input.billTo?.name ?? contact.name,
      email: input.billTo?.email !== undefined ? input.billTo.email : (contact.emails.find((e) => e.primary)?.value ?? contact.emails[0]?.value ?? null),
      address: input.billTo?.address !== undefined ? input.billTo.address : contact.address,
    };
    const cols = await this.columns(caller, input, billTo);
    const id = newId('in_', now);
    const createdBy = caller.kind === 'member' ? caller.member.id : null;
    await this.db.transaction().execute(async (trx) => {
      const number = await nextNumber(trx, caller.workspace.id);
      await trx.insertInto('invoices').values({ id, workspace_id: caller.workspace.id, contact_id: contactId, number, status: 'draft', ...cols, sent_channel: null, sent_at: null, hosted_url: null, paid_at: null, paid_method: null, paid_note: null, charge_id: null, voided_at: null, created_by: createdBy, created_at: now, updated_at: now }).execute();
      await this.audit(trx, caller, { id, number, contact_id: contactId }, 'created', { total: { before: null, after: cols.total }, currency: { before: null, after: cols.currency } }, now);
    });
    this.publish(caller, contactId, id);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }

  /** Replaces a draft's content (sent, paid and void invoices are final). */
  async update(caller: Caller, contactId: string, id: string, input: InvoiceInput, now: number): Promise<InvoiceJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller.workspace.id, contactId, id);
    if (before.status !== 'draft') throw conflict(`Invoice ${before.number} is ${before.status}; only a draft can be edited.`, { status: before.status });
    const prev = JSON.parse(before.bill_to) as BillTo;
    const billTo: BillTo = { name: input.billTo?.name ?? prev.name, email: input.billTo?.email !== undefined ? input.billTo.email : prev.email, address: input.billTo?.address !== undefined ? input.billTo.address : prev.address };
    const cols = await this.columns(caller, input, billTo);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('invoices').set({ ...cols, updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, before, 'updated', { total: { before: before.total, after: cols.total } }, now);
    });
    this.publish(caller, contactId, id);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }

  /** Marks a draft (or an already sent invoice, to send it again) as sent on `channel`. */
  async send(caller: Caller, contactId: string, id: string, channel: InvoiceChannel, now: number, hostedUrl: (id: string, sentAt: number) => string): Promise<InvoiceJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller.workspace.id, contactId, id);
    if (before.status !== 'draft' && before.status !== 'sent') throw conflict(`Invoice ${before.number} is ${before.status}; it cannot be sent.`, { status: before.status });
    if (before.total <= 0 && before.status === 'draft') throw invalidField('lines', 'An invoice with nothing to pay cannot be sent.');
    await this.db.transaction().execute(async (trx) => {
      // First send fixes sent_at (the hosted link is signed from it and must stay the same on a resend).
      await trx.updateTable('invoices').set({ status: 'sent', sent_channel: channel, sent_at: before.sent_at ?? now, hosted_url: before.hosted_url ?? hostedUrl(id, now), updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, before, 'sent', { status: { before: before.status, after: 'sent' }, channel: { before: before.sent_channel, after: channel } }, now);
      // One entry for the first send (a resend changes nothing owed).
      await billingLedger(trx, { workspaceId: caller.workspace.id, contactId, kind: 'invoice.sent', refType: 'invoice', refId: id, currency: before.currency, description: `${before.number}: ${amountText(before.total, before.currency)} ${before.currency} due`, at: now });
    });
    this.publish(caller, contactId, id);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }

  /** A sent invoice paid outside Dossier (bank transfer, cash…), with a note saying how. */
  async markPaid(caller: Caller, contactId: string, id: string, payment: { method: 'manual'; note: string } | { method: 'card'; chargeId: string }, now: number, inTrx?: (trx: Db, row: InvoicesTable) => Promise<void>): Promise<InvoiceJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller.workspace.id, contactId, id);
    this.assertPayable(before);
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('invoices')
        .set({ status: 'paid', paid_at: now, paid_method: payment.method, paid_note: payment.method === 'manual' ? payment.note : null, charge_id: payment.method === 'card' ? payment.chargeId : null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'sent')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict(`Invoice ${before.number} changed meanwhile; reload it.`);
      await this.audit(trx, caller, before, 'paid', { status: { before: before.status, after: 'paid' }, method: { before: null, after: payment.method } }, now);
      // Money received outside Dossier is money in; a card payment's money is the charge's own entry.
      await billingLedger(trx, { workspaceId: caller.workspace.id, contactId, kind: 'invoice.paid', refType: 'invoice', refId: id, amount: payment.method === 'manual' ? before.total : 0, currency: before.currency, description: payment.method === 'manual' ? `${before.number}: ${payment.note}` : before.number, chargeId: payment.method === 'card' ? payment.chargeId : null, at: now });
      await inTrx?.(trx, before);
    });
    this.publish(caller, contactId, id);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }

  /** The invoice a card payment is about to settle (checked before the provider is asked). */
  async payable(caller: Caller, contactId: string, id: string): Promise<InvoicesTable> {
    await this.writable(caller, contactId);
    const row = await this.row(caller.workspace.id, contactId, id);
    this.assertPayable(row);
    return row;
  }

  private assertPayable(row: InvoicesTable) {
    if (row.status === 'draft') throw conflict(`Invoice ${row.number} is a draft; send it before it is paid.`, { status: row.status });
    if (row.status !== 'sent') throw conflict(`Invoice ${row.number} is already ${row.status}.`, { status: row.status });
  }

  /** Voids an unpaid invoice (its number stays used). */
  async void(caller: Caller, contactId: string, id: string, now: number): Promise<InvoiceJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller.workspace.id, contactId, id);
    if (before.status === 'paid' || before.status === 'void') throw conflict(`Invoice ${before.number} is ${before.status}; only an unpaid invoice can be voided.`, { status: before.status });
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('invoices').set({ status: 'void', voided_at: now, updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, before, 'voided', { status: { before: before.status, after: 'void' } }, now);
      await billingLedger(trx, { workspaceId: caller.workspace.id, contactId, kind: 'invoice.voided', refType: 'invoice', refId: id, currency: before.currency, description: before.number, at: now });
    });
    this.publish(caller, contactId, id);
    return toJson(await this.row(caller.workspace.id, contactId, id));
  }
}
