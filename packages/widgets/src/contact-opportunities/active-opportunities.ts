// The Contact tab's compact list of the contact's open opportunities (a lazy chunk of the record): name, value and
// stage; a click asks the host to open one (`opportunity-open`). Follows changes made anywhere, live. Shows nothing
// while the contact has none.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import type { OpportunityJson } from '../../../core/src/types.js';
import { OpportunityOpenEvent } from './events.js';
import { formatMoney } from './money.js';
import './messages.js';

export class DossierActiveOpportunities extends DossierElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: block;
      }
      h3 {
        font-size: 0.95em;
        margin: 12px 0 6px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 4px;
      }
      button {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 8px;
        justify-content: space-between;
        width: 100%;
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        background: var(--_surface);
        color: inherit;
        font: inherit;
        padding: 6px 10px;
        text-align: start;
        cursor: pointer;
      }
      button:hover {
        border-color: var(--_accent);
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .muted {
        color: var(--_muted);
        font-size: 0.9em;
      }
      .error {
        color: var(--_danger);
        font-size: 0.92em;
      }
    `,
  ];

  @property({ attribute: 'contact-id' }) contactId = '';
  @state() private items: OpportunityJson[] = [];
  @state() private error = '';
  private seq = 0;

  private bus = new BusController(this, () => this.dossier, (e) => {
    if ((e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('opportunity.')) || e.type === 'live-resumed') void this.load();
  });

  protected override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has('contactId') || changed.has('dossier' as keyof DossierActiveOpportunities)) && this.dossier && this.contactId) void this.load();
  }

  private async load() {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.seq;
    try {
      const res = await unwrap(client.api.api.v1.contacts[':id'].opportunities.$get({ param: { id }, query: { status: 'open' } }));
      if (seq !== this.seq) return;
      this.items = res.items;
      this.error = '';
    } catch (err) {
      if (seq !== this.seq) return;
      this.error = (err as Error).message;
    }
  }

  protected override render() {
    if (!this.items.length && !this.error) return nothing;
    return html`<section aria-labelledby="active-opps-h">
      <h3 id="active-opps-h">${t('opp.active')}</h3>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <ul>
        ${this.items.map(
          (o) => html`<li><button aria-label=${t('opp.open', { name: o.name })} @click=${() => this.dispatchEvent(new OpportunityOpenEvent({ id: o.id, contactId: this.contactId }))}>
            <span class="name">${o.name}</span><span class="muted">${formatMoney(o.value, o.currency)} · ${o.stage.name}</span>
          </button></li>`,
        )}
      </ul>
    </section>`;
  }
}
define('dossier-active-opportunities', DossierActiveOpportunities);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-active-opportunities': DossierActiveOpportunities;
  }
}
