// The Charge now dialog of <contact-payments> (a lazy chunk): amount, currency, description, a saved card or a new
// one. Each attempt has its own idempotency key (kept when the same attempt is retried after a network failure, new
// after a decline), so a retried request never charges twice. A decline shows the provider's reason in place and
// the user picks another card.
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import './card-entry.js';
import type { CardEntry } from './card-entry.js';
import { paymentDialogStyles } from './dialog-styles.js';
import { CURRENCIES, formatMoney, parseMoney } from './money.js';
import { PAYMENTS_CHANGED } from './payments-registry.js';
import { brandName } from './brand.js';
import './messages.js';

interface Card {
  id: string;
  brand: string;
  last4: string;
  label: string;
  isDefault: boolean;
}

const NEW = 'new';
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export class ChargeDialog extends ThemedElement {
  static override styles = paymentDialogStyles;
  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) currency = 'usd';

  @state() private cards: Card[] = [];
  @state() private cardId = '';
  @state() private amount = '';
  @state() private description = '';
  @state() private errors: Record<string, string> = {};
  @state() private decline = '';
  @state() private busy = false;
  @state() private loadError = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('dossier-card-entry') private entry?: CardEntry;
  /** This attempt's idempotency key. */
  private key = newKey();

  show() {
    void this.load();
    void this.updateComplete.then(() => {
      this.dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('#charge-amount')?.focus();
    });
  }

  private async load() {
    try {
      const { items } = await unwrap(this.client!.api.api.v1.contacts[':id'].payments.cards.$get({ param: { id: this.contactId } }));
      this.cards = items;
      this.cardId ||= (items.find((c) => c.isDefault) ?? items[0])?.id ?? NEW;
      this.loadError = '';
    } catch (err) {
      this.loadError = (err as Error).message;
      this.cardId ||= NEW;
    }
  }

  private cardName(c: Card) {
    return `${t('payments.card.summary', { brand: brandName(c.brand), last4: c.last4 })}${c.label ? ` · ${c.label}` : ''}${c.isDefault ? ` · ${t('payments.card.default')}` : ''}`;
  }

  private async submit() {
    const amount = parseMoney(this.amount, this.currency);
    const errors: Record<string, string> = {};
    if (amount === null || amount < 1) errors.amount = t('payments.charge.amountInvalid', { example: formatMoney(1250, this.currency) });
    if (!this.cardId) errors.cardId = t('payments.charge.pickCard');
    this.errors = errors;
    if (Object.keys(errors).length) return;
    this.busy = true;
    this.decline = '';
    try {
      let cardId = this.cardId;
      if (cardId === NEW) {
        try {
          const card = await this.entry!.save();
          this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind: 'card.added', id: card.id } }));
          await this.load();
          cardId = this.cardId = card.id;
        } catch {
          return; // the card entry shows why, in place
        }
      }
      const charge = await unwrap(this.client!.api.api.v1.contacts[':id'].payments.charges.$post({ param: { id: this.contactId }, json: { cardId, amount: amount!, currency: this.currency, description: this.description.trim(), idempotencyKey: this.key } }));
      this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind: 'charge', id: charge.id } }));
      this.dialog.close();
    } catch (err) {
      const e = err as DossierApiError;
      if (e.code === 'card_declined') {
        // That attempt is over: the next one (another card) gets a new key. The charge is in the history already.
        this.key = newKey();
        this.decline = t('payments.charge.declined', { reason: e.message });
        this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind: 'charge', id: (e.details as { charge?: { id: string } })?.charge?.id ?? '' } }));
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#charge-card')?.focus());
      } else if (e.field) {
        this.errors = { [e.field]: e.message };
      } else {
        // A network failure or provider outage: retrying sends the same key, so it cannot charge twice.
        this.errors = { form: e.message };
      }
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const err = (f: string) => (this.errors[f] ? html`<p class="error" id="err-${f}">${this.errors[f]}</p>` : nothing);
    const bad = (f: string) => (this.errors[f] ? 'true' : 'false');
    const preview = parseMoney(this.amount, this.currency);
    return html`<dialog aria-labelledby="charge-h" @close=${() => this.dispatchEvent(new Event('close', { bubbles: true, composed: true }))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="charge-h">${t('payments.charge.title')}</h2>
        <div class="grid">
          <label>${t('payments.charge.amount')}
            <input id="charge-amount" inputmode="decimal" dir="ltr" autocomplete="off" aria-invalid=${bad('amount')} aria-describedby=${this.errors.amount ? 'err-amount' : 'amount-preview'} .value=${this.amount} @input=${(e: Event) => (this.amount = (e.target as HTMLInputElement).value)} />
            ${err('amount')}${preview !== null && preview > 0 && !this.errors.amount ? html`<span class="note" id="amount-preview">${formatMoney(preview, this.currency)}</span>` : nothing}</label>
          <label>${t('payments.charge.currency')}
            <select id="charge-currency" @change=${(e: Event) => (this.currency = (e.target as HTMLSelectElement).value)}>
              ${[...new Set([this.currency, ...CURRENCIES])].map((c) => html`<option value=${c} ?selected=${c === this.currency}>${c.toUpperCase()}</option>`)}
            </select></label>
          <label class="wide">${t('payments.charge.description')}
            <input id="charge-description" maxlength="500" aria-invalid=${bad('description')} .value=${this.description} @input=${(e: Event) => (this.description = (e.target as HTMLInputElement).value)} />${err('description')}</label>
          <label class="wide">${t('payments.charge.card')}
            <select id="charge-card" aria-invalid=${bad('cardId')} @change=${(e: Event) => ((this.cardId = (e.target as HTMLSelectElement).value), (this.decline = ''))}>
              ${this.cards.map((c) => html`<option value=${c.id} ?selected=${c.id === this.cardId}>${this.cardName(c)}</option>`)}
              <option value=${NEW} ?selected=${this.cardId === NEW}>${t('payments.charge.newCard')}</option>
            </select>${err('cardId')}</label>
        </div>
        ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
        ${this.cardId === NEW ? html`<dossier-card-entry .client=${this.client} .contactId=${this.contactId}></dossier-card-entry>` : nothing}
        ${this.decline ? html`<p class="decline" role="alert">${this.decline}</p>` : nothing}
        ${this.errors.form ? html`<p class="error" role="alert">${this.errors.form}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('payments.cancel')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t('payments.charge.charging') : preview ? t('payments.charge.submitAmount', { amount: formatMoney(preview, this.currency) }) : t('payments.charge.submit')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('dossier-charge-dialog', ChargeDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-charge-dialog': ChargeDialog;
  }
}
