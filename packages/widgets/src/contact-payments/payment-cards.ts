// The Cards on file section of <contact-payments>: brand, last four, expiry, label; choose the default; remove.
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import { brandName } from './brand.js';
import { PAYMENTS_CHANGED } from './payments-registry.js';
import { sectionStyles } from './section-styles.js';
import './messages.js';

interface Card {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  label: string;
  isDefault: boolean;
}

export class PaymentCards extends DossierElement {
  static override styles = sectionStyles;
  @property({ attribute: 'contact-id' }) contactId = '';
  @property({ type: Boolean }) readonly = false;
  /** The cards (set by the element; may be set to render without a server). */
  @property({ attribute: false }) cards: Card[] = [];
  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private error = '';
  @state() private canManage = false;
  @state() private itemErrors: Record<string, string> = {};
  @state() private announce = '';
  @query('dossier-confirm') private confirm!: DossierConfirm;
  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if ((e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('payment.')) || e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('contactId') || changed.has('dossier' as keyof PaymentCards)) && this.dossier && this.contactId) void this.load();
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
      const [list, session] = await Promise.all([unwrap(client.api.api.v1.contacts[':id'].payments.cards.$get({ param: { id: this.contactId } })), client.session()]);
      if (seq !== this.request) return;
      Object.assign(this, { cards: list.items, canManage: session.permissions.includes('payments.manage'), status: 'idle', error: '' });
    } catch (err) {
      if (seq !== this.request) return;
      Object.assign(this, { status: 'error', error: (err as Error).message });
      this.reportError(err as Error, 'load');
    }
  }

  private changed(kind: string, id: string) {
    this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind, id } }));
  }

  private async makeDefault(c: Card) {
    this.itemErrors = { ...this.itemErrors, [c.id]: '' };
    try {
      await unwrap(this.dossier!.api.api.v1.contacts[':id'].payments.cards[':cardId'].$patch({ param: { id: this.contactId, cardId: c.id }, json: { isDefault: true } }));
      this.announce = t('payments.cards.madeDefault', { card: this.name(c) });
      await this.load(true);
      this.changed('card.default', c.id);
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-card="${c.id}"] .remove`)?.focus());
    } catch (err) {
      this.itemErrors = { ...this.itemErrors, [c.id]: (err as Error).message };
    }
  }

  private async removeCard(c: Card) {
    this.confirm.heading = t('payments.cards.removeTitle');
    this.confirm.message = t('payments.cards.removeMessage', { card: this.name(c) });
    this.confirm.confirmLabel = t('payments.cards.remove');
    if (!(await this.confirm.ask())) return;
    this.itemErrors = { ...this.itemErrors, [c.id]: '' };
    try {
      await unwrap(this.dossier!.api.api.v1.contacts[':id'].payments.cards[':cardId'].$delete({ param: { id: this.contactId, cardId: c.id } }));
      this.announce = t('payments.cards.removed', { card: this.name(c) });
      await this.load(true);
      this.changed('card.removed', c.id);
    } catch (err) {
      this.itemErrors = { ...this.itemErrors, [c.id]: (err as Error).message };
    }
  }

  private name(c: Card) {
    return t('payments.card.summary', { brand: brandName(c.brand), last4: c.last4 });
  }

  protected override render() {
    if (this.status === 'loading' && !this.cards.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && !this.cards.length) return html`<dossier-state kind="error" message=${this.error} retryable @retry=${() => this.load()}></dossier-state>`;
    const manage = this.canManage && !this.readonly;
    return html`${this.cards.length
        ? html`<ul aria-label=${t('payments.section.cards')}>
            ${this.cards.map((c) => html`<li data-card=${c.id} part="card">
              <div class="head">
                <span class="name">${this.name(c)}</span>
                ${c.isDefault ? html`<span class="badge">${t('payments.card.default')}</span>` : nothing}
                <span class="meta">${t('payments.card.expires', { month: String(c.expMonth).padStart(2, '0'), year: String(c.expYear).slice(-2) })}</span>
              </div>
              ${c.label ? html`<div class="meta">${c.label}</div>` : nothing}
              ${this.itemErrors[c.id] ? html`<p class="error" role="alert">${this.itemErrors[c.id]}</p>` : nothing}
              ${manage
                ? html`<div class="actions">
                    ${c.isDefault ? nothing : html`<button class="link make-default" aria-label=${t('payments.cards.makeDefaultFor', { card: this.name(c) })} @click=${() => this.makeDefault(c)}>${t('payments.cards.makeDefault')}</button>`}
                    <button class="link danger remove" aria-label=${t('payments.cards.removeFor', { card: this.name(c) })} @click=${() => this.removeCard(c)}>${t('payments.cards.remove')}</button>
                  </div>`
                : nothing}
            </li>`)}
          </ul>`
        : html`<p class="empty">${t('payments.cards.empty')}</p>`}
      ${this.status === 'error' ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      <dossier-confirm></dossier-confirm>`;
  }
}

define('dossier-payment-cards', PaymentCards);
