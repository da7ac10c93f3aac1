// "Recently deleted" for <contact-documents>, loaded on first use: the contact's documents in the restore bin,
// newest deletion first, with the time left before each is removed for good and a Restore button.
import { css, html, nothing } from 'lit';
import { cssText } from '../../../core/src/ui/css-text.js';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { formatBytes, formatRelative } from '../../../core/src/format.js';
import { addMessages, plural, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { DocumentJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-state.js';
import { badge, hue, kindLabel } from './kinds.js';

addMessages('en', {
  'bin.title': 'Recently deleted',
  'bin.intro': 'Deleted documents can be restored for {period}, then they are removed for good.',
  'bin.empty.one': 'Nothing was deleted in the last day.',
  'bin.empty.other': 'Nothing was deleted in the last {count} days.',
  'bin.allRestored': 'Everything here was restored.',
  'bin.deleted': 'Deleted {when}',
  'bin.left.one': '{count} day left',
  'bin.left.other': '{count} days left',
  'bin.restore': 'Restore',
  'bin.restoreName': 'Restore {name}',
  'bin.restored': 'Restored {name}',
});

const DAY = 86_400_000;
const PAGE = '50';

/**
 * @fires restored - A document came back from the bin: `detail` is the restored document.
 * @fires close - The dialog closed.
 */
export class DocumentsBin extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(560px, 94vw);
      }
      h2 {
        margin: 0 0 4px;
        font-size: 1.15em;
      }
      .intro,
      .meta {
        color: var(--_muted);
        font-size: 0.88em;
      }
      ul {
        list-style: none;
        margin: 12px 0;
        padding: 0;
        max-height: min(60vh, 480px);
        overflow: auto;
      }
      li {
        display: grid;
        grid-template-columns: 36px 1fr auto;
        align-items: center;
        gap: 10px;
        padding: 8px 0;
        border-bottom: 1px solid var(--_border);
      }
      .icon {
        display: grid;
        place-items: center;
        width: 36px;
        height: 36px;
        border-radius: var(--_radius-sm);
        font-size: 0.68em;
        font-weight: 700;
        color: #fff;
        background: hsl(var(--hue) 60% 32%);
      }
      .name {
        overflow-wrap: anywhere;
      }
      .error {
        color: var(--_danger);
      }
      footer {
        display: flex;
        justify-content: space-between;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) client: DossierClient | null = null;
  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) restoreDays = 30;

  @state() private items: DocumentJson[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loading = true;
  @state() private loadError = '';
  /** Per document: a restore in flight, or why it failed. */
  @state() private rowState: Record<string, 'busy' | string> = {};
  @state() private announce = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  override firstUpdated() {
    this.dialog.showModal();
    void this.load();
  }

  private async load(cursor?: string) {
    if (!this.client) return;
    this.loading = true;
    this.loadError = '';
    try {
      const query = { deleted: 'true', sort: 'date', dir: 'desc', limit: PAGE, ...(cursor && { cursor }) };
      const page = (await unwrap(this.client.api.api.v1.contacts[':id'].documents.$get({ param: { id: this.contactId }, query: query as never }))) as {
        items: DocumentJson[];
        nextCursor: string | null;
      };
      this.items = cursor ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.loadError = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  private async restore(d: DocumentJson) {
    if (!this.client) return;
    this.rowState = { ...this.rowState, [d.id]: 'busy' };
    try {
      const restored = (await unwrap(this.client.api.api.v1.documents[':id'].restore.$post({ param: { id: d.id } }))) as DocumentJson;
      this.items = this.items.filter((x) => x.id !== d.id);
      const { [d.id]: _, ...rest } = this.rowState;
      this.rowState = rest;
      this.announce = t('bin.restored', { name: d.name });
      this.dispatchEvent(new CustomEvent('restored', { detail: restored }));
    } catch (err) {
      this.rowState = { ...this.rowState, [d.id]: (err as Error).message };
    }
  }

  private close() {
    this.dialog.close();
  }

  protected override render() {
    const days = this.restoreDays;
    return html`<dialog part="dialog" aria-labelledby="bin-title" @close=${() => this.dispatchEvent(new Event('close'))}>
      <h2 id="bin-title">${t('bin.title')}</h2>
      <p class="intro">${t('bin.intro', { period: plural('time.days', days) })}</p>
      ${this.loadError
        ? html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`
        : !this.items.length && this.loading
          ? html`<dossier-state kind="loading"></dossier-state>`
          : !this.items.length
            ? html`<dossier-state kind="empty" heading=${this.announce ? t('bin.allRestored') : plural('bin.empty', days)}></dossier-state>`
            : html`<ul aria-label=${t('bin.title')}>
                ${this.items.map((d) => this.renderItem(d))}
              </ul>`}
      <footer>
        ${this.nextCursor && !this.loadError
          ? html`<button class="btn" ?disabled=${this.loading} @click=${() => this.load(this.nextCursor!)}>${t('docs.more')}</button>`
          : html`<span></span>`}
        <button class="btn" @click=${this.close}>${t('action.close')}</button>
      </footer>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    </dialog>`;
  }

  private renderItem(d: DocumentJson) {
    const state = this.rowState[d.id];
    const deletedAt = d.deletedAt ?? Date.now();
    return html`<li data-id=${d.id}>
      <span class="icon" style=${cssText(`--hue:${hue(d.kind)}`)} aria-hidden="true">${badge(d.kind)}</span>
      <div>
        <div class="name" dir="auto">${d.name}</div>
        <div class="meta">${kindLabel(d.kind)} · ${formatBytes(d.size)} · ${t('bin.deleted', { when: formatRelative(deletedAt) })} ·
          ${plural('bin.left', Math.max(1, Math.ceil((deletedAt + this.restoreDays * DAY - Date.now()) / DAY)))}</div>
        ${state && state !== 'busy' ? html`<div class="error" role="alert">${state}</div>` : nothing}
      </div>
      <button class="btn" aria-label=${t('bin.restoreName', { name: d.name })} ?disabled=${state === 'busy'} @click=${() => this.restore(d)}>${t('bin.restore')}</button>
    </li>`;
  }
}

define('documents-bin', DocumentsBin);

declare global {
  interface HTMLElementTagNameMap {
    'documents-bin': DocumentsBin;
  }
}
