// The Add card dialog of <contact-payments> (a lazy chunk): the card goes to the provider, Dossier saves its summary.
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import './card-entry.js';
import type { CardEntry } from './card-entry.js';
import { paymentDialogStyles } from './dialog-styles.js';
import { PAYMENTS_CHANGED } from './payments-registry.js';
import './messages.js';

export class CardDialog extends ThemedElement {
  static override styles = paymentDialogStyles;
  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('dossier-card-entry') private entry!: CardEntry;

  show() {
    void this.updateComplete.then(() => {
      this.dialog.showModal();
      this.entry.updateComplete.then(() => this.entry.renderRoot.querySelector<HTMLElement>('input')?.focus());
    });
  }

  private async submit() {
    this.busy = true;
    try {
      const card = await this.entry.save();
      this.dispatchEvent(new CustomEvent(PAYMENTS_CHANGED, { bubbles: true, composed: true, detail: { kind: 'card.added', id: card.id } }));
      this.dialog.close();
    } catch {
      // The entry shows what went wrong in place, with what was typed kept.
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    return html`<dialog aria-labelledby="card-h" @close=${() => this.dispatchEvent(new Event('close', { bubbles: true, composed: true }))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="card-h">${t('payments.card.title')}</h2>
        <dossier-card-entry .client=${this.client} .contactId=${this.contactId} offerDefault></dossier-card-entry>
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('payments.cancel')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t('payments.saving') : t('payments.card.save')}</button>
        </div>
      </form>
    </dialog>${nothing}`;
  }
}

define('dossier-card-dialog', CardDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-card-dialog': CardDialog;
  }
}
