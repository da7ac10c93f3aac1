// The Invoices section of <contact-payments> (a lazy chunk): the contact's invoices with their status and total,
// and what can be done with each — send it on a channel (the host delivers it: `invoice-send`), mark it paid (a
// saved card, or a note for money received otherwise), void it, open its hosted page. Follows changes live.
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { formatDate } from '../../../core/src/format.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import { formatMoney } from '../../../core/src/money.js';
import type { Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import type { InvoiceJson } from '../../../../server/src/domain/billing/invoices.js';
import { brandName } from '../contact-payments/brand.js';
import { loadCards, type SavedCard } from './cards.js';
import { sectionStyles } from './billing.styles.js';
import './messages.js';

export type InvoiceChannel = 'email' | 'sms' | 'whatsapp';
const CHANNELS: InvoiceChannel[] = ['email', 'sms', 'whatsapp'];

/** An invoice was sent: the host delivers `detail.hostedUrl` to the contact on `detail.channel` (Dossier does not). */
export class InvoiceSendEvent extends DossierEvent<{ contactId: string; channel: InvoiceChannel; hostedUrl: string; invoice: InvoiceJson }> {
  static readonly type = 'invoice-send';
  constructor(detail: InvoiceSendEvent['detail']) {
    super(InvoiceSendEvent.type, detail);
  }
}

type Panel = { id: string; kind: 'send' | 'pay' | 'void' } | null;

export class BillingInvoices extends DossierElement {
  static override styles = sectionStyles;

  @property({ attribute: 'contact-id' }) contactId = '';
  @property({ type: Boolean }) readonly = false;

  @state() private items: InvoiceJson[] | null = null;
  @state() private loadError = '';
  @state() private session: Session | null = null;
  @state() private panel: Panel = null;
  @state() private channel: InvoiceChannel = 'email';
  @state() private payMethod = 'manual';
  @state() private note = '';
  @state() private cards: SavedCard[] = [];
  @state() private busy = false;
  @state() private error = '';
  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type === 'invoice.updated') void this.load();
    else if (e.type === 'live-resumed') void this.load();
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('contactId') || changed.has('dossier' as keyof BillingInvoices)) && this.dossier && this.contactId) void this.load();
  }

  /** Reads the list again (the tab calls it after a dialog changed something). */
  refresh() {
    void this.load();
  }

  private async load() {
    const client = this.dossier;
    if (!client || !this.contactId) return;
    const seq = ++this.request;
    try {
      const [session, res] = await Promise.all([client.session(), unwrap(client.api.api.v1.contacts[':id'].invoices.$get({ param: { id: this.contactId } }))]);
      if (seq !== this.request) return;
      this.session = session;
      this.items = res.items;
      this.loadError = '';
    } catch (err) {
      if (seq !== this.request) return;
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'invoices.load');
    }
  }

  private get canManage() {
    return !this.readonly && Boolean(this.session?.permissions.includes('payments.manage'));
  }

  private async open(id: string, kind: 'send' | 'pay' | 'void') {
    this.panel = { id, kind };
    this.error = '';
    if (kind === 'pay' && this.dossier) {
      try {
        this.cards = await loadCards(this.dossier, this.contactId);
      } catch {
        this.cards = [];
      }
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.inline select, .inline input, .inline button')?.focus();
  }

  private close() {
    const id = this.panel?.id;
    this.panel = null;
    this.error = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-invoice="${id}"] .actions button`)?.focus());
  }

  private async act(inv: InvoiceJson) {
    const client = this.dossier;
    const panel = this.panel;
    if (!client || !panel || this.busy) return;
    const param = { id: this.contactId, invoiceId: inv.id };
    const route = client.api.api.v1.contacts[':id'].invoices[':invoiceId'];
    this.busy = true;
    this.error = '';
    try {
      let saved: InvoiceJson;
      if (panel.kind === 'send') {
        saved = await unwrap(route.send.$post({ param, json: { channel: this.channel } }));
        this.dispatchEvent(new InvoiceSendEvent({ contactId: this.contactId, channel: this.channel, hostedUrl: saved.hostedUrl ?? '', invoice: saved }));
      } else if (panel.kind === 'pay') {
        const json = this.payMethod === 'manual' ? { method: 'manual' as const, note: this.note.trim() } : { method: 'card' as const, paymentMethodId: this.payMethod };
        saved = await unwrap(route.pay.$post({ param, json }));
      } else {
        saved = await unwrap(route.void.$post({ param }));
      }
      this.items = (this.items ?? []).map((i) => (i.id === saved.id ? saved : i));
      this.dispatchEvent(new CustomEvent('payments-changed', { bubbles: true, composed: true, detail: { kind: `invoice.${panel.kind === 'void' ? 'voided' : panel.kind === 'pay' ? 'paid' : 'sent'}`, id: saved.id } }));
      this.note = '';
      this.close();
    } catch (err) {
      // The panel stays open with what was chosen and typed; the reason shows in it.
      this.error = (err as Error).message;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.inline [aria-invalid="true"], .inline select, .inline input')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderPanel(inv: InvoiceJson) {
    const p = this.panel;
    if (!p || p.id !== inv.id) return nothing;
    const error = this.error ? html`<p class="error" role="alert" id="inv-err">${this.error}</p>` : nothing;
    const submit = (e: Event) => (e.preventDefault(), void this.act(inv));
    const keys = (e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), this.close());
    if (p.kind === 'send')
      return html`<form class="inline" @submit=${submit} @keydown=${keys} aria-label=${t('bill.inv.sendTitle', { number: inv.number })}>
        <label>${t('bill.inv.channel')}
          <select .value=${this.channel} @change=${(e: Event) => (this.channel = (e.target as HTMLSelectElement).value as InvoiceChannel)}>
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === this.channel}>${t(`bill.channel.${c}`)}</option>`)}
          </select></label>
        <button class="btn primary" ?disabled=${this.busy}>${t('bill.inv.send')}</button>
        <button type="button" class="btn" @click=${() => this.close()}>${t('action.cancel')}</button>
        ${error}
      </form>`;
    if (p.kind === 'pay')
      return html`<form class="inline" @submit=${submit} @keydown=${keys} aria-label=${t('bill.inv.payTitle', { number: inv.number })}>
        <label>${t('bill.inv.payWith')}
          <select .value=${this.payMethod} @change=${(e: Event) => (this.payMethod = (e.target as HTMLSelectElement).value)}>
            <option value="manual" ?selected=${this.payMethod === 'manual'}>${t('bill.inv.manual')}</option>
            ${this.cards.map((c) => html`<option value=${c.id} ?selected=${this.payMethod === c.id}>${t('bill.card', { brand: brandName(c.brand), last4: c.last4 })}</option>`)}
          </select></label>
        ${this.payMethod === 'manual'
          ? html`<label>${t('bill.inv.note')}
              <input .value=${this.note} maxlength="500" placeholder=${t('bill.inv.notePlaceholder')} aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'inv-err' : nothing} @input=${(e: Event) => (this.note = (e.target as HTMLInputElement).value)} /></label>`
          : nothing}
        <button class="btn primary" ?disabled=${this.busy}>${this.payMethod === 'manual' ? t('bill.inv.markPaid') : t('bill.inv.charge', { amount: formatMoney(inv.total, inv.currency, getLocale()) })}</button>
        <button type="button" class="btn" @click=${() => this.close()}>${t('action.cancel')}</button>
        ${error}
      </form>`;
    return html`<form class="inline" @submit=${submit} @keydown=${keys} aria-label=${t('bill.inv.voidTitle', { number: inv.number })}>
      <span>${t('bill.inv.voidConfirm', { number: inv.number })}</span>
      <button class="btn danger" ?disabled=${this.busy}>${t('bill.inv.void')}</button>
      <button type="button" class="btn" @click=${() => this.close()}>${t('action.cancel')}</button>
      ${error}
    </form>`;
  }

  private renderItem(inv: InvoiceJson) {
    const manage = this.canManage;
    const open = inv.status === 'draft' || inv.status === 'sent';
    return html`<li data-invoice=${inv.id}>
      <div class="row">
        <span class="name">${inv.number}</span>
        <span class="badge ${inv.status}">${t(`bill.inv.status.${inv.status}`)}</span>
        <span class="amount">${formatMoney(inv.total, inv.currency, getLocale())}</span>
      </div>
      <div class="row muted">
        ${inv.status === 'paid' && inv.paidAt
          ? html`<span>${t('bill.inv.paidOn', { date: formatDate(inv.paidAt) })}${inv.paidNote ? ` · ${inv.paidNote}` : ''}</span>`
          : html`<span>${t('bill.inv.dueOn', { date: formatDate(inv.dueAt) })}</span>`}
        ${inv.sentChannel && inv.status !== 'void' ? html`<span>${t('bill.inv.sentVia', { channel: t(`bill.channel.${inv.sentChannel}`) })}</span>` : nothing}
      </div>
      ${(manage && open) || inv.hostedUrl
        ? html`<div class="actions">
            ${manage && open ? html`<button class="btn" @click=${() => this.open(inv.id, 'send')}>${inv.status === 'sent' ? t('bill.inv.resend') : t('bill.inv.send')}</button>` : nothing}
            ${manage && inv.status === 'sent' ? html`<button class="btn" @click=${() => this.open(inv.id, 'pay')}>${t('bill.inv.pay')}</button>` : nothing}
            ${manage && open ? html`<button class="btn" @click=${() => this.open(inv.id, 'void')}>${t('bill.inv.void')}</button>` : nothing}
            ${inv.hostedUrl ? html`<a href=${inv.hostedUrl} target="_blank" rel="noopener noreferrer">${t('bill.inv.view', { number: inv.number })}</a>` : nothing}
          </div>`
        : nothing}
      ${this.renderPanel(inv)}
    </li>`;
  }

  protected override render() {
    if (this.loadError && !this.items) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    if (!this.items) return html`<dossier-state kind="loading"></dossier-state>`;
    if (!this.items.length) return html`<p class="empty">${t('bill.inv.empty')}</p>`;
    return html`<ul aria-label=${plural('bill.inv.count', this.items.length)}>${this.items.map((i) => this.renderItem(i))}</ul>`;
  }
}

define('dossier-billing-invoices', BillingInvoices);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-billing-invoices': BillingInvoices;
  }
  interface HTMLElementEventMap {
    'invoice-send': InvoiceSendEvent;
  }
}
