// The Subscriptions section of <contact-payments> (a lazy chunk): the contact's subscriptions with their status, what
// each period bills and the next bill date; cancel (after a confirmation in place). Follows changes live (the
// billing runner's charges included).
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDate } from '../../../core/src/format.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import { formatMoney } from '../../../core/src/money.js';
import type { Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import type { SubscriptionJson } from '../../../../server/src/domain/billing/subscriptions.js';
import { sectionStyles } from './billing.styles.js';
import './messages.js';

/** "every month", "every 3 months", "every year". */
export const everyText = (interval: 'month' | 'year', count: number) => plural(`bill.every.${interval}`, count);

export class BillingSubscriptions extends DossierElement {
  static override styles = sectionStyles;

  @property({ attribute: 'contact-id' }) contactId = '';
  @property({ type: Boolean }) readonly = false;

  @state() private items: SubscriptionJson[] | null = null;
  @state() private loadError = '';
  @state() private session: Session | null = null;
  @state() private confirming: string | null = null;
  @state() private busy = false;
  @state() private error = '';
  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type === 'subscription.updated') void this.load();
    else if (e.type === 'live-resumed') void this.load();
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('contactId') || changed.has('dossier' as keyof BillingSubscriptions)) && this.dossier && this.contactId) void this.load();
  }

  refresh() {
    void this.load();
  }

  private async load() {
    const client = this.dossier;
    if (!client || !this.contactId) return;
    const seq = ++this.request;
    try {
      const [session, res] = await Promise.all([client.session(), unwrap(client.api.api.v1.contacts[':id'].subscriptions.$get({ param: { id: this.contactId } }))]);
      if (seq !== this.request) return;
      this.session = session;
      this.items = res.items;
      this.loadError = '';
    } catch (err) {
      if (seq !== this.request) return;
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'subscriptions.load');
    }
  }

  private async cancel(sub: SubscriptionJson) {
    const client = this.dossier;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const saved = await unwrap(client.api.api.v1.contacts[':id'].subscriptions[':subscriptionId'].cancel.$post({ param: { id: this.contactId, subscriptionId: sub.id } }));
      this.items = (this.items ?? []).map((s) => (s.id === saved.id ? saved : s));
      this.confirming = null;
      this.dispatchEvent(new CustomEvent('payments-changed', { bubbles: true, composed: true, detail: { kind: 'subscription.cancelled', id: saved.id } }));
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderItem(s: SubscriptionJson) {
    const manage = !this.readonly && Boolean(this.session?.permissions.includes('payments.manage'));
    return html`<li>
      <div class="row">
        <span class="name">${s.description}${s.quantity !== '1' ? ` × ${s.quantity}` : ''}</span>
        <span class="badge ${s.status}">${t(`bill.sub.status.${s.status}`)}</span>
        <span class="amount">${formatMoney(s.amount, s.currency, getLocale())} ${everyText(s.interval, s.intervalCount)}</span>
      </div>
      <div class="row muted">
        ${s.nextBillAt !== null ? html`<span>${t('bill.sub.next', { date: formatDate(s.nextBillAt) })}</span>` : nothing}
        ${s.cancelledAt !== null ? html`<span>${t('bill.sub.cancelledOn', { date: formatDate(s.cancelledAt) })}</span>` : nothing}
        ${s.status === 'past_due' && s.lastError ? html`<span class="error">${t('bill.sub.failed', { reason: s.lastError })}</span>` : nothing}
      </div>
      ${manage && s.status !== 'cancelled'
        ? this.confirming === s.id
          ? html`<div class="inline" role="group" aria-label=${t('bill.sub.cancelTitle', { name: s.description })} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.confirming = null)}>
              <span>${t('bill.sub.cancelConfirm', { name: s.description })}</span>
              <button class="btn danger" ?disabled=${this.busy} @click=${() => this.cancel(s)}>${t('bill.sub.cancel')}</button>
              <button class="btn" @click=${() => ((this.confirming = null), (this.error = ''))}>${t('bill.sub.keep')}</button>
              ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
            </div>`
          : html`<div class="actions"><button class="btn" @click=${async () => ((this.confirming = s.id), (this.error = ''), await this.updateComplete, this.renderRoot.querySelector<HTMLElement>('.inline .btn.danger')?.focus())}>${t('bill.sub.cancel')}</button></div>`
        : nothing}
    </li>`;
  }

  protected override render() {
    if (this.loadError && !this.items) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    if (!this.items) return html`<dossier-state kind="loading"></dossier-state>`;
    if (!this.items.length) return html`<p class="empty">${t('bill.sub.empty')}</p>`;
    return html`<ul aria-label=${plural('bill.sub.count', this.items.length)}>${this.items.map((s) => this.renderItem(s))}</ul>`;
  }
}

define('dossier-billing-subscriptions', BillingSubscriptions);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-billing-subscriptions': BillingSubscriptions;
  }
}
