// The preview panel of <contact-documents>, loaded on first use: images and PDFs inline (from a short-lived
// signed link), text files as text, anything else as a card with Download.
import { css, html, nothing, type PropertyValues } from 'lit';
import { cssText } from '../../../core/src/ui/css-text.js';
import { property, state } from 'lit/decorators.js';
import { problemOf, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { formatBytes, formatDateTime } from '../../../core/src/format.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import type { DocumentJson } from '../../../core/src/types.js';
import { badge, hue, isImage, isText, kindLabel } from './kinds.js';
import './pdf-view.js';

addMessages('en', {
  'preview.label': 'Preview of {name}',
  'preview.close': 'Close preview',
  'preview.noPreview': 'This type of file can’t be previewed here. Download it to open it.',
  'preview.truncated': 'Showing the first {size}. Download the file to see all of it.',
});

/** Text previews read at most this much (a Range request). */
const TEXT_BYTES = 256 * 1024;

/**
 * @fires close - The user closed the preview (button or Escape).
 * @fires download - The user asked to download the document.
 */
export class DocumentsPreview extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: 8px;
        padding: 12px;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      h3:focus {
        outline: none;
      }
      h3 {
        flex: 1;
        min-width: 0;
        margin: 0;
        font-size: 1.05em;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .meta {
        color: var(--_muted);
        font-size: 0.88em;
      }
      .body {
        display: grid;
        place-items: center;
        min-height: 200px;
        background: var(--_surface);
        border-radius: var(--_radius-sm);
        overflow: auto;
        max-height: var(--contact-documents-preview-height, 70vh);
      }
      img {
        max-width: 100%;
        max-height: var(--contact-documents-preview-height, 70vh);
        object-fit: contain;
      }
      pre {
        justify-self: stretch;
        align-self: start;
        margin: 0;
        padding: 12px;
        white-space: pre-wrap;
        word-break: break-word;
        font-size: 0.9em;
      }
      .card {
        display: grid;
        justify-items: center;
        gap: 8px;
        padding: 24px;
        text-align: center;
      }
      .icon {
        display: grid;
        place-items: center;
        width: 64px;
        height: 64px;
        border-radius: var(--_radius);
        color: #fff;
        font-weight: 700;
        background: hsl(var(--h) 60% 32%);
      }
      .err {
        color: var(--_danger);
      }
      documents-pdf-view {
        justify-self: stretch;
        align-self: start;
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) document?: DocumentJson;
  /** A signed inline URL (images, PDFs), or set directly to render without a server. */
  @property({ attribute: false }) src = '';
  @property({ attribute: false }) text: string | null = null;
  @state() private error = '';

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed); // ThemedElement takes the widget's theme there
    if (changed.has('document') && this.document && this.client) void this.load(this.document, this.client);
  }

  protected override firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  private async load(d: DocumentJson, client: DossierClient) {
    this.src = '';
    this.text = null;
    this.error = '';
    try {
      if (d.inline) {
        const { url } = await unwrap(client.api.api.v1.documents[':id'].link.$post({ param: { id: d.id }, json: { inline: true } }));
        if (this.document === d) this.src = url;
      } else if (isText(d)) {
        const res = await client.api.api.v1.documents[':id'].content.$get({ param: { id: d.id }, query: {} }, { headers: { range: `bytes=0-${TEXT_BYTES - 1}` } });
        if (!res.ok) throw await problemOf(res as unknown as Response);
        const bytes = await res.arrayBuffer();
        if (this.document === d) this.text = new TextDecoder().decode(bytes);
      }
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private close() {
    this.dispatchEvent(new Event('close'));
  }

  protected override render() {
    const d = this.document;
    if (!d) return nothing;
    return html`<section aria-label=${t('preview.label', { name: d.name })} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), this.close())}>
      <header>
        <h3 tabindex="-1" title=${d.name}>${d.name}</h3>
        <span class="meta">${kindLabel(d.kind)} · ${formatBytes(d.size)}</span>
        <button class="btn" @click=${() => this.dispatchEvent(new Event('download'))}>${t('docs.download')}</button>
        <button class="icon-btn" aria-label=${t('preview.close')} title=${t('preview.close')} @click=${this.close}><span aria-hidden="true">×</span></button>
      </header>
      <div class="body">${this.error ? html`<p class="err" role="alert">${this.error}</p>` : this.renderContent(d)}</div>
    </section>`;
  }

  private renderContent(d: DocumentJson) {
    if (isImage(d)) return this.src ? html`<img src=${this.src} alt=${d.name} />` : html`<dossier-state kind="loading"></dossier-state>`;
    if (d.kind === 'pdf') return this.src ? html`<documents-pdf-view .src=${this.src} .name=${d.name}></documents-pdf-view>` : html`<dossier-state kind="loading"></dossier-state>`;
    if (isText(d)) {
      if (this.text === null) return html`<dossier-state kind="loading"></dossier-state>`;
      return html`<pre tabindex="0" aria-label=${d.name}>${this.text}</pre>
        ${d.size > TEXT_BYTES ? html`<p class="meta">${t('preview.truncated', { size: formatBytes(TEXT_BYTES) })}</p>` : nothing}`;
    }
    return html`<div class="card">
      <span class="icon" style=${cssText(`--h:${hue(d.kind)}`)} aria-hidden="true">${badge(d.kind)}</span>
      <strong>${d.name}</strong>
      <span class="meta">${kindLabel(d.kind)} · ${formatBytes(d.size)} · ${formatDateTime(d.createdAt)}</span>
      <p>${t('preview.noPreview')}</p>
      <button class="btn primary" @click=${() => this.dispatchEvent(new Event('download'))}>${t('docs.download')}</button>
    </div>`;
  }
}
define('documents-preview', DocumentsPreview);

declare global {
  interface HTMLElementTagNameMap {
    'documents-preview': DocumentsPreview;
  }
}
