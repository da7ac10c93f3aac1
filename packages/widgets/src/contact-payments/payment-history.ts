// The History section of <contact-payments>: the contact's ledger (charges, declines, refunds; invoices and
// subscriptions add theirs), newest first, with a Refund form on succeeded charges (all or part of what is left).
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDateTime } from '../../../core/src/format.js';
import { t } from '../../../core/src/i18n.js';
import '../../../core/src/ui/dossier-state.js';
import { brandName } from './brand.js';
import { formatMoney, parseMoney, toDecimal } from './money.js';
import { PAYMENTS_CHANGED } from './payments-registry.js';
import { sectionStyles } from './section-styles.js';
import './messages.js';

export interface LedgerEntry {
  id: string;
  kind: string;
  amount: number;
  currency: string;
  description: string;
  chargeId: string | null;
  occurredAt: number;
  charge: { id: string; amount: number; amountRefunded: number; status: string; failure: { code: string; message: string } | null; card: { brand: string; last4: string } | null } | null;
}

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export class PaymentHistory extends DossierElement {
  static override styles = sectionStyles;
  @property({ attribute: 'contact-id' }) contactId = '';
  @property({ type: Boolean }) readonly = false;
  /** The ledger entries (set by the element; may be set to render without a server). */
  @property({ attribute: false }) entries: LedgerEntry[] = [];
  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private error = '';
  @state() private next: string | null = null;
  @state() private canManage = false;
  /** The refund form open: charge id, typed amount and reason, its error, its idempotency key. */
  @state() private refund: { chargeId: string; amount: string; reason: string; error: string; key: string; busy: boolean } | null = null;
  @state() private announce = '';
  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if ((e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('payment.')) || e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('contactId') || changed.has('dossier' as keyof PaymentHistory)) && this.dossier && this.contactId) void this.load();
  }

  refresh() {
    void this.load(true);
  }

  private async load(quiet = false) {
    const client = this.dossier;
    if (!client || !this.contactId) return;
    const seq = ++this.request;
    if (!quiet) this.status = 'loading';
    try {
      const [page, session] = await Promise.all([unwrap(client.api.api.v1.contacts[':id'].payments.history.$get({ param: { id: this.contactId }, query: { limit: '50' } })), client.session()]);
      if (seq !== this.request) return;
      Object.assign(this, { entries: page.items, next: page.nextCursor, canManage: session.permissions.includes('payments.manage'), status: 'idle', error: '' });
    } catch (err) {
      if (seq !== this.request) return;
      Object.assign(this, { status: 'error', error: (err as Error).message });
      this.reportError(err as Error, 'load');
    }
  }

  private async more() {
    if (!this.next) return;
    try {
      const page = await unwrap(this.dossier!.api.api.v1.contacts[':id'].payments.history.$get({ param: { id: this.contactId }, query: { limit: '50', cursor: this.next } }));
      const known = new Set(this.entries.map((e) => e.id));
      this.entries = [...this.entries, ...page.items.filter((e) => !known.has(e.id))];
      this.next = page.nextCursor;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private sentence(e: LedgerEntry) {
    const key = `payments.history.${e.kind}`;
    const text = t(key);
    return text === key ? e.kind : text;
  }

  private openRefund(e: LedgerEntry) {
    const left = e.charge!.amount - e.charge!.amountRefunded;
    this.refund = { chargeId: e.charge!.id, amount: toDecimal(left, e.currency), reason: '', error: '', key: newKey(), busy: false };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#refund-amount')?.select());
  }

  private async submitRefund(e: LedgerEntry) {
    const r = this.refund!;
    const amount = parseMoney(r.amount, e.currency);
    if (amount === null || amount < 1) return void (this.refund = { ...r, error: t('payments.refund.amountInvalid') });
    this.refund = { ...r, busy: true, error: '' };
    try {
      const out = await unwrap(this.dossier!.api.api.v1.contacts[':id'].payments.charges[':chargeId'].refunds.$post({ param: { id: this.contactId, chargeId: r.chargeId }, json: { amount, reason: r.reason.trim(), idempotencyKey: r.key } }));
      this.refund = null;
      this.announce = t('payments.refund.done', { amount: formatMoney(out.amount, out.currency) });
      this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind: 'refund', id: out.id } }));
      await this.load(true);
    } catch (err) {
      // Typed values stay; a retry of the same refund keeps its key (a lost answer cannot refund twice).
      this.refund = { ...r, busy: false, error: (err as DossierApiError).message };
    }
  }

  protected override render() {
    if (this.status === 'loading' && !this.entries.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && !this.entries.length) return html`<dossier-state kind="error" message=${this.error} retryable @retry=${() => this.load()}></dossier-state>`;
    return html`${this.entries.length
        ? html`<ul aria-label=${t('payments.section.history')}>${this.entries.map((e) => this.renderEntry(e))}</ul>`
        : html`<p class="empty">${t('payments.history.empty')}</p>`}
      ${this.next ? html`<button class="btn more" @click=${() => this.more()}>${t('payments.history.more')}</button>` : nothing}
      ${this.status === 'error' ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>`;
  }

  private renderEntry(e: LedgerEntry) {
    const c = e.charge;
    const refundable = e.kind === 'charge.succeeded' && c && c.status === 'succeeded' && c.amount > c.amountRefunded && this.canManage && !this.readonly;
    const r = this.refund?.chargeId === c?.id && e.kind === 'charge.succeeded' ? this.refund : null;
    const failed = e.kind.endsWith('.failed');
    // Entries that move no money (an invoice sent or voided, a subscription scheduled) show no "$0.00".
    const amount = failed && c ? c.amount : e.amount;
    return html`<li part="entry" data-entry=${e.id} data-kind=${e.kind}>
      <div class="head">
        <span class="name">${this.sentence(e)}</span>
        ${failed ? html`<span class="badge failed">${t('payments.history.failedBadge')}</span>` : nothing}
        ${c && c.amountRefunded > 0 && e.kind === 'charge.succeeded' ? html`<span class="badge">${t(c.amountRefunded >= c.amount ? 'payments.history.refunded' : 'payments.history.partlyRefunded', { amount: formatMoney(c.amountRefunded, e.currency) })}</span>` : nothing}
        ${amount ? html`<span class="amount ${amount < 0 ? 'negative' : ''}" dir="ltr">${formatMoney(amount, e.currency)}</span>` : nothing}
      </div>
      ${e.description ? html`<div class="desc" dir="auto">${e.description}</div>` : nothing}
      <div class="meta">
        <time datetime=${new Date(e.occurredAt).toISOString()}>${formatDateTime(e.occurredAt)}</time>
        ${c?.card ? html`<span>${t('payments.card.summary', { brand: brandName(c.card.brand), last4: c.card.last4 })}</span>` : nothing}
      </div>
      ${failed && c?.failure ? html`<div class="meta">${c.failure.message}</div>` : nothing}
      ${refundable && !r ? html`<div class="actions"><button class="link refund" aria-label=${t('payments.refund.for', { amount: formatMoney(c.amount, e.currency) })} @click=${() => this.openRefund(e)}>${t('payments.refund')}</button></div>` : nothing}
      ${r
        ? html`<form class="refund" novalidate @submit=${(ev: Event) => (ev.preventDefault(), void this.submitRefund(e))}>
            <label>${t('payments.refund.amount', { currency: e.currency.toUpperCase() })}<input id="refund-amount" inputmode="decimal" dir="ltr" aria-invalid=${r.error ? 'true' : 'false'} .value=${r.amount} @input=${(ev: Event) => (this.refund = { ...r, amount: (ev.target as HTMLInputElement).value })} /></label>
            <label>${t('payments.refund.reason')}<input id="refund-reason" maxlength="500" .value=${r.reason} @input=${(ev: Event) => (this.refund = { ...r, reason: (ev.target as HTMLInputElement).value })} /></label>
            <button type="submit" class="btn primary" ?disabled=${r.busy}>${t('payments.refund.submit')}</button>
            <button type="button" class="btn" @click=${() => ((this.refund = null), void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-entry="${e.id}"] .refund`)?.focus()))}>${t('payments.cancel')}</button>
            ${r.error ? html`<p class="error" role="alert">${r.error}</p>` : nothing}
          </form>`
        : nothing}
    </li>`;
  }
}

define('dossier-payment-history', PaymentHistory);
