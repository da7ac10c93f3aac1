// The "New opportunity" dialog (a lazy chunk, loaded on first use): name, pipeline, stage, value, currency, status,
// owner, source and expected close date; linked to the contact given as its primary. Reusable from any element:
// `openOpportunityDialog(root, { client, contactId })` resolves with the opportunity created, or null when cancelled.
// Refusals show by their field; everything typed stays.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { MemberJson, OpportunityJson, PipelineJson } from '../../../core/src/types.js';
import { minorDigits, parseMoney } from './money.js';
import './messages.js';

const STATUSES = ['open', 'won', 'lost', 'abandoned'] as const;
type Status = (typeof STATUSES)[number];

interface Draft {
  name: string;
  pipelineId: string;
  stageId: string;
  value: string;
  currency: string;
  status: Status;
  ownerId: string;
  source: string;
  closeDate: string;
}

const currencies = () => {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['EUR', 'GBP', 'USD'];
  }
};

/** The currency of the reader's region, as a default ("de-DE": EUR); USD when unknown. */
function localCurrency(): string {
  const region = new Intl.Locale(navigator.language).maximize().region;
  const guess: Record<string, string> = { US: 'USD', GB: 'GBP', JP: 'JPY', CH: 'CHF', CA: 'CAD', AU: 'AUD', IN: 'INR', SA: 'SAR', AE: 'AED', MX: 'MXN', BR: 'BRL' };
  const euro = ['DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'AT', 'IE', 'PT', 'FI', 'GR', 'LU'];
  return (region && (guess[region] ?? (euro.includes(region) ? 'EUR' : undefined))) || 'USD';
}

/** The dialog's result: `detail.opportunity` (created). */
export class OpportunitySavedEvent extends Event {
  constructor(readonly opportunity: OpportunityJson) {
    super('dossier-opportunity-saved', { bubbles: false, composed: false });
  }
}

export class OpportunityDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(560px, 96vw);
        max-height: 94vh;
        box-sizing: border-box;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      .grid {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0 12px;
      }
      .field {
        display: grid;
        gap: 4px;
        margin-bottom: 10px;
        min-width: 0;
      }
      .wide {
        grid-column: 1 / -1;
      }
      input,
      select {
        min-width: 0;
        width: 100%;
        box-sizing: border-box;
      }
      .error {
        color: var(--_danger);
        font-size: 0.92em;
        margin: 0;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      @media (max-width: 520px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  /** The contact the opportunity is created for (its primary contact); none: created unlinked. */
  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) pipelines: PipelineJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  /** The owner chosen at first (the signed-in member). */
  @property({ attribute: false }) ownerId = '';

  @state() draft!: Draft;
  @state() private errors: Record<string, string> = {};
  @state() private error = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.draft || (changed.has('pipelines') && !this.draft.pipelineId)) {
      const p = this.pipelines[0];
      this.draft = { name: '', pipelineId: p?.id ?? '', stageId: p?.stages[0]?.id ?? '', value: '', currency: localCurrency(), status: 'open', ownerId: this.ownerId, source: '', closeDate: '' };
    }
  }

  show() {
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('#opp-name')?.focus();
  }

  private set(patch: Partial<Draft>) {
    this.draft = { ...this.draft, ...patch };
    const errors = { ...this.errors };
    for (const k of Object.keys(patch)) delete errors[k];
    this.errors = errors;
  }

  private async submit() {
    const client = this.client;
    const d = this.draft;
    if (!client || this.busy) return;
    const value = parseMoney(d.value, d.currency);
    const errors: Record<string, string> = {};
    if (!d.name.trim()) errors.name = t('opp.f.required');
    if (value === null) errors.value = t('opp.f.badValue', { digits: minorDigits(d.currency), currency: d.currency });
    this.errors = errors;
    if (Object.keys(errors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const json = {
        name: d.name.trim(),
        pipelineId: d.pipelineId,
        stageId: d.stageId,
        value: value!,
        currency: d.currency,
        status: d.status,
        ownerId: d.ownerId || null,
        source: d.source.trim() || null,
        closeDate: d.closeDate || null,
        ...(this.contactId && { contactId: this.contactId }),
      };
      const saved = await unwrap(client.api.api.v1.opportunities.$post({ json }));
      this.dispatchEvent(new OpportunitySavedEvent(saved));
      this.dialog.close();
    } catch (err) {
      // The reason shows by its field when the server names one; else above the buttons.
      const found: Record<string, string> = {};
      for (const p of err instanceof DossierApiError ? err.fieldProblems : []) {
        const path = p.path.replace(/[[.].*$/, '');
        if (path in d) found[path] ??= p.message;
      }
      this.errors = found;
      this.error = Object.keys(found).length ? '' : t('opp.failed', { message: (err as Error).message });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const d = this.draft;
    const pipeline = this.pipelines.find((p) => p.id === d.pipelineId);
    const bad = (f: string) => (this.errors[f] ? 'true' : 'false');
    const described = (f: string) => (this.errors[f] ? `err-${f}` : '');
    const fieldError = (f: string) => (this.errors[f] ? html`<p class="error" id="err-${f}">${this.errors[f]}</p>` : nothing);
    const list = [...new Set([d.currency, ...currencies()])];
    return html`<dialog aria-labelledby="opp-h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="opp-h">${t('opp.f.title')}</h2>
        <div class="grid">
          <label class="field wide">${t('opp.f.name')}
            <input id="opp-name" required maxlength="200" aria-invalid=${bad('name')} aria-describedby=${described('name')} .value=${d.name} @input=${(e: Event) => this.set({ name: (e.target as HTMLInputElement).value })} />${fieldError('name')}</label>
          <label class="field">${t('opp.f.pipeline')}
            <select id="opp-pipeline" aria-invalid=${bad('pipelineId')} @change=${(e: Event) => {
              const id = (e.target as HTMLSelectElement).value;
              this.set({ pipelineId: id, stageId: this.pipelines.find((p) => p.id === id)?.stages[0]?.id ?? '' });
            }}>
              ${this.pipelines.map((p) => html`<option value=${p.id} ?selected=${p.id === d.pipelineId}>${p.name}</option>`)}
            </select>${fieldError('pipelineId')}</label>
          <label class="field">${t('opp.f.stage')}
            <select id="opp-stage" aria-invalid=${bad('stageId')} @change=${(e: Event) => this.set({ stageId: (e.target as HTMLSelectElement).value })}>
              ${(pipeline?.stages ?? []).map((s) => html`<option value=${s.id} ?selected=${s.id === d.stageId}>${s.name}</option>`)}
            </select>${fieldError('stageId')}</label>
          <label class="field">${t('opp.f.value')}
            <input id="opp-value" inputmode="decimal" autocomplete="off" dir="ltr" aria-invalid=${bad('value')} aria-describedby=${described('value')} .value=${d.value} @input=${(e: Event) => this.set({ value: (e.target as HTMLInputElement).value })} />${fieldError('value')}</label>
          <label class="field">${t('opp.f.currency')}
            <select id="opp-currency" aria-invalid=${bad('currency')} @change=${(e: Event) => this.set({ currency: (e.target as HTMLSelectElement).value, value: d.value })}>
              ${list.map((c) => html`<option value=${c} ?selected=${c === d.currency}>${c}</option>`)}
            </select>${fieldError('currency')}</label>
          <label class="field">${t('opp.f.status')}
            <select id="opp-status" @change=${(e: Event) => this.set({ status: (e.target as HTMLSelectElement).value as Status })}>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === d.status}>${t(`opp.status.${s}`)}</option>`)}
            </select></label>
          <label class="field">${t('opp.f.owner')}
            <select id="opp-owner" aria-invalid=${bad('ownerId')} @change=${(e: Event) => this.set({ ownerId: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!d.ownerId}>${t('opp.f.noOwner')}</option>
              ${this.members.map((m) => html`<option value=${m.id} ?selected=${m.id === d.ownerId}>${m.name}</option>`)}
            </select>${fieldError('ownerId')}</label>
          <label class="field">${t('opp.f.source')}
            <input id="opp-source" maxlength="100" aria-invalid=${bad('source')} .value=${d.source} @input=${(e: Event) => this.set({ source: (e.target as HTMLInputElement).value })} />${fieldError('source')}</label>
          <label class="field">${t('opp.f.closeDate')}
            <input id="opp-close" type="date" aria-invalid=${bad('closeDate')} .value=${d.closeDate} @change=${(e: Event) => this.set({ closeDate: (e.target as HTMLInputElement).value })} />${fieldError('closeDate')}</label>
        </div>
        ${this.error ? html`<p class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('opp.cancel')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy || !pipeline}>${t('opp.f.create')}</button>
        </div>
      </form>
    </dialog>`;
  }
}
define('dossier-opportunity-dialog', OpportunityDialog);

/**
 * Opens a New opportunity dialog inside `root` (a shadow root or element) and resolves with the opportunity created,
 * or null when the user cancels. Reads the pipelines, members and session itself unless given.
 */
export async function openOpportunityDialog(
  root: Node,
  o: { client: DossierClient; contactId?: string; pipelines?: PipelineJson[]; members?: MemberJson[]; theme?: string },
): Promise<OpportunityJson | null> {
  const [pipelines, members, session] = await Promise.all([
    o.pipelines ?? unwrap(o.client.api.api.v1.pipelines.$get()).then((r) => r.items),
    o.members ?? o.client.members(),
    o.client.session(),
  ]);
  const dialog = document.createElement('dossier-opportunity-dialog');
  Object.assign(dialog, { client: o.client, contactId: o.contactId ?? '', pipelines, members, ownerId: session.member?.id ?? '' });
  if (o.theme) dialog.setAttribute('theme', o.theme);
  root.appendChild(dialog);
  await dialog.updateComplete;
  return new Promise((resolve) => {
    let saved: OpportunityJson | null = null;
    dialog.addEventListener('dossier-opportunity-saved', (e) => (saved = (e as OpportunitySavedEvent).opportunity));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(saved);
    });
    dialog.show();
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'dossier-opportunity-dialog': OpportunityDialog;
  }
}
