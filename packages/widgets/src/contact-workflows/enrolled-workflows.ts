// The Contact tab's compact list of the workflows the contact is in now (reference 001). Internal element: the
// record's Contact tab shows it; <contact-workflows> is the full, editable view.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { tokens } from '../../../core/src/theme.js';
import type { EnrolmentJson } from '../../../core/src/types.js';
import { addMessages } from '../../../core/src/i18n.js';

addMessages('en', {
  'record.workflows': 'Workflows',
  'record.workflows.step': 'Step: {step}',
});

export class DossierEnrolledWorkflows extends DossierElement {
  static override styles = [
    tokens,
    css`
      :host { display: block; }
      h3 { font-size: 0.95em; margin: 16px 0 6px; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
      li { overflow-wrap: anywhere; }
      .muted { color: var(--_muted); font-size: 0.92em; }
    `,
  ];

  @property({ attribute: 'contact-id' }) contactId = '';
  @state() private items: EnrolmentJson[] = [];
  private request = 0;

  private bus = new BusController(this, () => this.dossier, (e) => {
    if ((e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('workflow.')) || e.type === 'live-resumed') void this.load();
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('contactId') || changed.has('dossier' as keyof DossierEnrolledWorkflows)) && this.dossier && this.contactId) void this.load();
  }

  private async load() {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].workflows.$get({ param: { id }, query: { status: 'active', limit: '20' } }));
      if (seq === this.request) this.items = page.items;
    } catch (err) {
      // A summary: the Actions panel's Workflows section shows the error in full.
      if (seq === this.request) this.items = [];
      this.reportError(err as Error, 'load');
    }
  }

  protected override render() {
    if (!this.items.length) return nothing;
    return html`<section aria-labelledby="enrolled-h">
      <h3 id="enrolled-h">${t('record.workflows')}</h3>
      <ul>
        ${this.items.map((e) => html`<li>${e.workflow.name}${e.step ? html` <span class="muted">· ${t('record.workflows.step', { step: e.step })}</span>` : nothing}</li>`)}
      </ul>
    </section>`;
  }
}

define('dossier-enrolled-workflows', DossierEnrolledWorkflows);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-enrolled-workflows': DossierEnrolledWorkflows;
  }
}
