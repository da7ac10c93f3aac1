import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';

/** A section of <contact-payments> (skeleton: filled in by the next commits). */
export class PaymentCards extends DossierElement {
  @property({ attribute: 'contact-id' }) contactId = '';
  @property({ type: Boolean }) readonly = false;
  refresh() {
    this.requestUpdate();
  }
  protected override render() {
    return html`<slot></slot>`;
  }
}

define('dossier-payment-cards', PaymentCards);
