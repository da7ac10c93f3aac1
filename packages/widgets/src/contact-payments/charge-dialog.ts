import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';

/** A dialog of <contact-payments>' Actions (skeleton: filled in by the next commits). */
export class ChargeDialog extends ThemedElement {
  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  show() {
    this.requestUpdate();
  }
  protected override render() {
    return html`<slot></slot>`;
  }
}

define('dossier-charge-dialog', ChargeDialog);
