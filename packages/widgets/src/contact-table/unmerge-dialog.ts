// Unmerge (loaded on first use, from the table's row menu or the record): pick which merged contact to split off
// when several were merged in, review the profiles as they will be, confirm. Each step is what the server answers
// for it (a preview is the real unmerge in a rolled-back transaction).
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, plural, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { ContactJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';

addMessages('en', {
  'unmerge.title': 'Unmerge {name}',
  'unmerge.pick': 'Which contact do you want to split off? Their own profile comes back as it was before the merge.',
  'unmerge.pickLegend': 'Contact to split off',
  'unmerge.review': 'Review the contacts as they will be after the unmerge.',
  'unmerge.restored': 'Restored',
  'unmerge.keeps': 'Stays',
  'unmerge.note': 'Both go back to how they were when merged: changes made to {name} since the merge are undone.',
  'unmerge.stillMerged.one': '{names} stays merged into {name}.',
  'unmerge.stillMerged.other': '{names} stay merged into {name}.',
  'unmerge.next': 'Next',
  'unmerge.back': 'Back',
  'unmerge.confirm': 'Unmerge',
  'unmerge.emails': 'Emails',
  'unmerge.phones': 'Phones',
  'unmerge.tags': 'Tags',
  'unmerge.done.one': 'Unmerged: {name} restored.',
  'unmerge.done.other': 'Unmerged: {count} contacts restored.',
});

export interface UnmergeResult {
  mergeId: string;
  restored: ContactJson[];
  survivor: ContactJson;
  remaining: { mergeId: string; mergedIds: string[] } | null;
}

/** "Unmerged: Jane Doe restored." (or how many were). */
export const unmergedNotice = (r: UnmergeResult) => plural('unmerge.done', r.restored.length, { name: r.restored[0]?.name ?? '' });

export class DossierUnmergeDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(640px, 96vw);
      }
      h2 {
        margin: 0 0 6px;
        font-size: 1.1em;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 8px;
      }
      .profiles {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
        gap: 10px;
      }
      .profile {
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        padding: 8px 12px;
        background: var(--_surface);
        overflow-wrap: anywhere;
      }
      label.profile {
        display: flex;
        align-items: start;
        gap: 8px;
        cursor: pointer;
      }
      .profile strong {
        display: block;
      }
      .muted {
        color: var(--_muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 12px;
      }
      .back {
        margin-inline-end: auto;
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property() mergeId = '';
  /** The survivor's name as it is now (the title names it; after the unmerge it may read otherwise). */
  @property() name = '';
  /** Every merged contact as it would come back (step 1), then the chosen one's review (step 2). */
  @state() private all: UnmergeResult | null = null;
  @state() private review: UnmergeResult | null = null;
  @state() private chosen = '';
  @state() private error = '';
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  settle?: (result: UnmergeResult | null) => void;

  async open() {
    await this.updateComplete;
    this.dialog.showModal();
    const all = await this.call('preview', undefined);
    if (!all) return;
    this.all = all;
    this.chosen = all.restored[0]?.id ?? '';
    // One contact merged in: nothing to pick, its review is this very preview.
    if (all.restored.length === 1) this.review = all;
  }

  private async call(step: 'preview' | 'unmerge', contactIds: string[] | undefined): Promise<UnmergeResult | null> {
    const client = this.client;
    if (!client) return null;
    this.busy = true;
    this.error = '';
    try {
      const route = client.api.api.v1.merges[':id'].unmerge;
      const args = { param: { id: this.mergeId }, json: contactIds ? { contactIds } : {} };
      return (await unwrap(step === 'preview' ? route.preview.$post(args) : route.$post(args))) as UnmergeResult;
    } catch (err) {
      this.error = (err as Error).message;
      return null;
    } finally {
      this.busy = false;
    }
  }

  private async next() {
    const review = await this.call('preview', [this.chosen]);
    if (review) this.review = review;
  }

  private async confirm() {
    const done = await this.call('unmerge', this.review?.restored.map((c) => c.id));
    if (done) this.finish(done);
  }

  private finish(result: UnmergeResult | null) {
    if (this.dialog.open) this.dialog.close();
    this.settle?.(result);
    this.settle = undefined;
    this.remove();
  }

  private profile(c: ContactJson) {
    const line = (key: string, values: string[]) => (values.length ? html`<div><span class="muted">${t(key)}:</span> ${values.join(', ')}</div>` : nothing);
    return html`<strong>${c.name || '—'}</strong>
      ${c.companyName ? html`<div>${c.companyName}</div>` : nothing}
      ${line('unmerge.emails', c.emails.map((e) => e.value))}
      ${line('unmerge.phones', c.phones.map((p) => p.display))}
      ${line('unmerge.tags', c.tags)}`;
  }

  private renderBody() {
    const { all, review } = this;
    if (!all) return this.error ? nothing : html`<dossier-state kind="loading"></dossier-state>`;
    if (!review) {
      return html`<p>${t('unmerge.pick')}</p>
        <fieldset class="profiles">
          <legend class="visually-hidden">${t('unmerge.pickLegend')}</legend>
          ${all.restored.map((c) => html`<label class="profile"><input type="radio" name="split" .checked=${c.id === this.chosen} @change=${() => (this.chosen = c.id)} /><span>${this.profile(c)}</span></label>`)}
        </fieldset>`;
    }
    const survivor = review.survivor;
    const staying = all.restored.filter((c) => review.remaining?.mergedIds.includes(c.id)).map((c) => c.name);
    return html`<p>${t('unmerge.review')}</p>
      <div class="profiles">
        ${review.restored.map((c) => html`<section class="profile" aria-label=${t('unmerge.restored')}><span class="muted">${t('unmerge.restored')}</span>${this.profile(c)}</section>`)}
        <section class="profile" aria-label=${t('unmerge.keeps')}><span class="muted">${t('unmerge.keeps')}</span>${this.profile(survivor)}</section>
      </div>
      ${staying.length ? html`<p>${plural('unmerge.stillMerged', staying.length, { names: staying.join(', '), name: survivor.name })}</p>` : nothing}
      <p class="muted">${t('unmerge.note', { name: survivor.name })}</p>`;
  }

  protected override render() {
    const picking = this.all && !this.review;
    const back = this.review && (this.all?.restored.length ?? 0) > 1;
    return html`<dialog aria-labelledby="h" aria-busy=${this.busy ? 'true' : 'false'} @cancel=${(e: Event) => { e.preventDefault(); this.finish(null); }}>
      <h2 id="h">${t('unmerge.title', { name: this.name || (this.all?.survivor.name ?? '') })}</h2>
      ${this.renderBody()}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        ${back ? html`<button class="btn back" ?disabled=${this.busy} @click=${() => (this.review = null)}>${t('unmerge.back')}</button>` : nothing}
        <button class="btn" @click=${() => this.finish(null)}>${t('action.cancel')}</button>
        ${picking
          ? html`<button class="btn primary" ?disabled=${this.busy || !this.chosen} @click=${() => this.next()}>${t('unmerge.next')}</button>`
          : html`<button class="btn primary" ?disabled=${this.busy || !this.review} @click=${() => this.confirm()}>${t('unmerge.confirm')}</button>`}
      </div>
    </dialog>`;
  }
}
define('dossier-unmerge-dialog', DossierUnmergeDialog);

/** Opens the dialog in `root`; resolves with what was unmerged, or null when the user cancelled. */
export function openUnmerge(root: Node, client: DossierClient, mergeId: string, name = ''): Promise<UnmergeResult | null> {
  const dialog = document.createElement('dossier-unmerge-dialog') as DossierUnmergeDialog;
  dialog.client = client;
  dialog.mergeId = mergeId;
  dialog.name = name;
  (root as ParentNode).append(dialog);
  return new Promise((resolve) => {
    dialog.settle = resolve;
    void dialog.open();
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'dossier-unmerge-dialog': DossierUnmergeDialog;
  }
}
