// The Create subscription dialog of <contact-payments>' Actions (a lazy chunk): a recurring product of the price
// list, a quantity, the first bill date and the saved card it bills. What each period costs shows as it is chosen.
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { getLocale, t } from '../../../core/src/i18n.js';
import { formatMoney, mulDivRound, parseQuantity, QUANTITY_SCALE } from '../../../core/src/money.js';
import type { ProductJson } from '../../../../server/src/domain/billing/products.js';
import { brandName } from '../contact-payments/brand.js';
import { dialogLook } from './billing.styles.js';
import { everyText } from './billing-subscriptions.js';
import { loadCards, type SavedCard } from './cards.js';
import './messages.js';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class SubscriptionDialog extends ThemedElement {
  static override styles = dialogLook;

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';

  @state() private products: ProductJson[] = [];
  @state() private cards: SavedCard[] = [];
  @state() private productId = '';
  @state() private quantity = '1';
  @state() private startDate = isoDay(Date.now());
  @state() private cardId = '';
  @state() private errors: Record<string, string> = {};
  @state() private error = '';
  @state() private busy = false;
  @state() private loading = true;
  @query('dialog') private dialog!: HTMLDialogElement;

  show() {
    this.dialog.showModal();
    void this.prefill();
  }

  private async prefill() {
    const client = this.client;
    if (!client) return;
    try {
      const [products, cards] = await Promise.all([unwrap(client.api.api.v1.products.$get({ query: {} })), loadCards(client, this.contactId)]);
      this.products = products.items.filter((p) => p.kind === 'recurring');
      this.cards = cards;
      this.productId ||= this.products[0]?.id ?? '';
      this.cardId ||= (cards.find((c) => c.isDefault) ?? cards[0])?.id ?? '';
    } catch (err) {
      this.error = t('bill.f.prefillFailed', { message: (err as Error).message });
    } finally {
      this.loading = false;
    }
  }

  private async submit() {
    const client = this.client;
    if (!client || this.busy) return;
    const errors: Record<string, string> = {};
    if (!this.productId) errors.productId = t('bill.f.pickProduct');
    const q = parseQuantity(this.quantity);
    if (q === null || q === 0) errors.quantity = t('bill.f.badQuantity');
    const startAt = Date.parse(`${this.startDate}T00:00:00Z`);
    if (Number.isNaN(startAt)) errors.startAt = t('bill.f.startNeeded');
    if (!this.cardId) errors.paymentMethodId = t('bill.f.pickCard');
    this.errors = errors;
    this.error = '';
    if (Object.keys(errors).length) return this.focusError();
    this.busy = true;
    try {
      // A start of today bills now; the server takes the start as the first bill time.
      const json = { productId: this.productId, quantity: this.quantity.trim().replace(',', '.'), startAt: Math.max(startAt, Date.now()), paymentMethodId: this.cardId };
      const saved = await unwrap(client.api.api.v1.contacts[':id'].subscriptions.$post({ param: { id: this.contactId }, json }));
      this.dispatchEvent(new CustomEvent('payments-changed', { bubbles: true, composed: true, detail: { kind: 'subscription.created', id: saved.id } }));
      this.dialog.close();
    } catch (err) {
      const found: Record<string, string> = {};
      for (const p of err instanceof DossierApiError ? err.fieldProblems : []) found[p.path] ??= p.message;
      this.errors = found;
      this.error = Object.keys(found).length ? '' : t('bill.f.failed', { message: (err as Error).message });
      await this.focusError();
    } finally {
      this.busy = false;
    }
  }

  private async focusError() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
  }

  protected override render() {
    const product = this.products.find((p) => p.id === this.productId);
    const q = parseQuantity(this.quantity);
    const err = (f: string) => (this.errors[f] ? html`<p class="error" id="err-${f}">${this.errors[f]}</p>` : nothing);
    const bad = (f: string) => (this.errors[f] ? 'true' : 'false');
    const desc = (f: string) => (this.errors[f] ? `err-${f}` : nothing);
    return html`<dialog class="narrow" aria-labelledby="sub-h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="sub-h">${t('bill.f.subscriptionTitle')}</h2>
        ${this.loading ? html`<p class="muted" role="status">${t('state.loading')}</p>` : nothing}
        ${!this.loading && !this.products.length ? html`<p class="muted">${t('bill.f.noRecurring')}</p>` : nothing}
        <label class="field">${t('bill.f.product')}
          <select id="sub-product" aria-invalid=${bad('productId')} aria-describedby=${desc('productId')} @change=${(e: Event) => ((this.productId = (e.target as HTMLSelectElement).value), delete this.errors.productId)}>
            ${this.products.map((p) => html`<option value=${p.id} ?selected=${p.id === this.productId}>${p.name} · ${formatMoney(p.unitAmount, p.currency, getLocale())} ${everyText(p.interval ?? 'month', p.intervalCount ?? 1)}</option>`)}
          </select>${err('productId')}</label>
        <div class="grid">
          <label class="field">${t('bill.f.qty')}
            <input id="sub-qty" inputmode="decimal" .value=${this.quantity} aria-invalid=${bad('quantity')} aria-describedby=${desc('quantity')} @input=${(e: Event) => ((this.quantity = (e.target as HTMLInputElement).value), delete this.errors.quantity)} />${err('quantity')}</label>
          <label class="field">${t('bill.f.start')}
            <input id="sub-start" type="date" .value=${this.startDate} aria-invalid=${bad('startAt')} aria-describedby=${desc('startAt')} @change=${(e: Event) => ((this.startDate = (e.target as HTMLInputElement).value), delete this.errors.startAt)} />${err('startAt')}</label>
        </div>
        <label class="field">${t('bill.f.card')}
          <select id="sub-card" aria-invalid=${bad('paymentMethodId')} aria-describedby=${desc('paymentMethodId')} @change=${(e: Event) => ((this.cardId = (e.target as HTMLSelectElement).value), delete this.errors.paymentMethodId)}>
            ${this.cards.length ? nothing : html`<option value="">${t('bill.f.noCards')}</option>`}
            ${this.cards.map((c) => html`<option value=${c.id} ?selected=${c.id === this.cardId}>${t('bill.card', { brand: brandName(c.brand), last4: c.last4 })}</option>`)}
          </select>${err('paymentMethodId')}</label>
        ${product && q ? html`<p role="status">${t('bill.f.perPeriod', { amount: formatMoney(mulDivRound(q, product.unitAmount, QUANTITY_SCALE), product.currency, getLocale()), every: everyText(product.interval ?? 'month', product.intervalCount ?? 1) })}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('action.cancel')}</button>
          <button class="btn primary" ?disabled=${this.busy}>${t('bill.f.subscribe')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('dossier-subscription-dialog', SubscriptionDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-subscription-dialog': SubscriptionDialog;
  }
}
