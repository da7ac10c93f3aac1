// The document after the gate (loaded lazily by <share-viewer>): a PDF page by page with navigation and zoom,
// an image, or text; a download button only when the link allows it (the server enforces it too).
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { define } from '../../../core/src/dossier-element.js';
import { localize, logicalKey, t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import type { OpenedView, ShareApi } from './api.js';
import { loadPdfJs } from './pdf-loader.js';

/** The usual zoom levels; from any zoom (fit width gives e.g. 154 %) + and − go to the next level above or below. */
const ZOOMS = [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];

/** The zoom level after `zoom` in `direction` (+1 in, -1 out); the same zoom at either end of the levels. */
export function zoomStep(zoom: number, direction: 1 | -1): number {
  const next = direction > 0 ? ZOOMS.find((z) => z > zoom + 0.005) : ZOOMS.findLast((z) => z < zoom - 0.005);
  return next ?? zoom;
}

export class ShareDocument extends LitElement {
  constructor() {
    super();
    localize(this);
  }

  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      /* One row when it fits: name, page and zoom controls, Download. Narrow: name and Download, controls below. */
      header {
        display: flex;
        gap: 8px 12px;
        align-items: center;
        flex-wrap: wrap;
        padding: 8px;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius) var(--_radius) 0 0;
        position: sticky;
        top: 0;
        z-index: 1;
      }
      h1 {
        flex: 1 1 10em;
        min-width: 0;
        font-size: 1em;
        margin: 0 0 0 4px;
        overflow-wrap: anywhere;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
      }
      .group {
        display: flex;
        gap: 4px;
        align-items: center;
        white-space: nowrap;
      }
      .download {
        order: 1;
      }
      input.page {
        width: 3.5em;
        text-align: center;
      }
      .zoom {
        min-width: 3.2em;
        text-align: center;
      }
      .fit-icon {
        display: none;
      }
      @container (max-width: 560px) {
        h1 {
          flex-basis: 0;
        }
        .download {
          order: 0;
        }
        .tools {
          order: 1;
          flex-basis: 100%;
          justify-content: space-between;
        }
        .fit {
          padding: 0;
          width: 32px;
          justify-content: center;
        }
        .fit-icon {
          display: inline;
        }
        .fit-text {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
      }
      .stage {
        border: 1px solid var(--_border);
        border-top: 0;
        border-radius: 0 0 var(--_radius) var(--_radius);
        background: var(--_surface);
        padding: 16px;
        overflow: auto;
        min-height: 240px;
        display: grid;
        justify-items: center;
      }
      canvas,
      img {
        background: #fff;
        box-shadow: var(--_shadow);
        max-width: none;
      }
      img {
        max-width: 100%;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--_bg);
        padding: 16px;
        margin: 0;
        width: 100%;
        border-radius: var(--_radius-sm);
      }
      .alert {
        color: var(--_danger);
      }
    `,
  ];

  @property({ attribute: false }) api!: ShareApi;
  @property({ attribute: false }) opened!: OpenedView;
  @property({ reflect: true }) theme = 'light';
  @state() page = 1;
  @state() pages = 0;
  @state() zoom = 1;
  @state() status: 'loading' | 'ready' | 'failed' | 'unviewable' = 'loading';
  @state() text = '';
  @state() pageText = '';
  @state() imageUrl = '';
  @query('canvas') private canvas?: HTMLCanvasElement;
  private pdf?: PDFDocumentProxy;
  private rendering?: RenderTask;
  private fit = true;

  override connectedCallback() {
    super.connectedCallback();
    this.dataset.theme = this.theme === 'dark' ? 'dark' : 'light';
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    void this.pdf?.loadingTask.destroy();
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
  }

  private get headers() {
    return { Authorization: `Bearer ${this.opened.token}` };
  }

  protected override firstUpdated() {
    void this.loadDocument();
  }

  private async loadDocument() {
    const doc = this.opened.document;
    try {
      if (doc.kind === 'pdf') {
        const pdfjs = await loadPdfJs();
        this.pdf = await pdfjs.getDocument({ url: this.api.contentUrl(), httpHeaders: this.headers, withCredentials: false, verbosity: 0, disableAutoFetch: true, isEvalSupported: false, rangeChunkSize: 262_144 }).promise;
        this.pages = this.pdf.numPages;
        this.status = 'ready';
        await this.updateComplete;
        await this.renderPage();
        return;
      }
      const res = await this.api.content(this.opened.token);
      if (res.status === 401 || res.status === 403 || res.status === 404) return void this.dispatchEvent(new Event('session-ended'));
      if (res.status === 415) return void (this.status = 'unviewable');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (doc.inline) this.imageUrl = URL.createObjectURL(await res.blob());
      else this.text = await res.text();
      this.status = 'ready';
      this.seen(1);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 401 || status === 403 || status === 404) return void this.dispatchEvent(new Event('session-ended'));
      this.status = 'failed';
    }
  }

  private seen(page: number) {
    this.dispatchEvent(new CustomEvent('page-seen', { detail: page }));
  }

  /** Renders the current page at the current zoom (fit-to-width until the viewer zooms). */
  async renderPage() {
    if (!this.pdf || !this.canvas) return;
    const page = await this.pdf.getPage(this.page);
    const base = page.getViewport({ scale: 1 });
    if (this.fit) {
      const width = (this.renderRoot.querySelector('.stage') as HTMLElement | null)?.clientWidth ?? 800;
      this.zoom = Math.max(ZOOMS[0]!, Math.min(ZOOMS[ZOOMS.length - 1]!, (width - 34) / base.width));
    }
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: this.zoom * ratio });
    const canvas = this.canvas;
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    this.rendering?.cancel();
    this.rendering = page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport });
    try {
      await this.rendering.promise;
    } catch {
      return; // cancelled by a newer render
    }
    const content = await page.getTextContent();
    this.pageText = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
    this.seen(this.page);
    this.dispatchEvent(new CustomEvent('page-rendered', { detail: this.page, bubbles: true, composed: true }));
  }

  go(page: number) {
    const next = Math.min(Math.max(1, page), this.pages || 1);
    if (next === this.page) return;
    this.page = next;
  }

  private setZoom(z: number | 'fit') {
    this.fit = z === 'fit';
    if (z !== 'fit') this.zoom = z;
    void this.renderPage();
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('page') && changed.get('page') !== undefined) void this.renderPage();
  }

  private onKey(e: KeyboardEvent) {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const key = logicalKey(e, this);
    if (key === 'ArrowRight' || key === 'PageDown') this.go(this.page + 1);
    else if (key === 'ArrowLeft' || key === 'PageUp') this.go(this.page - 1);
    else if (e.key === 'Home') this.go(1);
    else if (e.key === 'End') this.go(this.pages);
    else return;
    e.preventDefault();
  }

  private download() {
    this.dispatchEvent(new Event('document-download'));
    // A plain navigation so the browser's download manager handles it; the token goes in the query (no header).
    const a = document.createElement('a');
    a.href = `${this.api.contentUrl(true)}&t=${encodeURIComponent(this.opened.token)}`;
    a.download = this.opened.document.name;
    a.rel = 'noopener';
    a.click();
  }

  protected override render() {
    const doc = this.opened.document;
    const pdf = doc.kind === 'pdf';
    return html`
      <header>
        <h1>${doc.name}</h1>
        <div class="tools" role="toolbar" aria-label=${t('share.doc.toolbar')}>
        ${pdf && this.pages
          ? html`<div class="group">
                <button class="icon-btn mirror" aria-label=${t('share.doc.prev')} ?disabled=${this.page <= 1} @click=${() => this.go(this.page - 1)}>‹</button>
                <label class="visually-hidden" for="page">${t('share.doc.page')}</label>
                <input id="page" class="page" type="number" min="1" max=${this.pages} .value=${String(this.page)}
                  @change=${(e: Event) => this.go(Number((e.target as HTMLInputElement).value))} />
                <span aria-hidden="true">${t('share.doc.of', { total: this.pages })}</span>
                <button class="icon-btn mirror" aria-label=${t('share.doc.next')} ?disabled=${this.page >= this.pages} @click=${() => this.go(this.page + 1)}>›</button>
              </div>
              <div class="group">
                <button class="icon-btn" aria-label=${t('share.doc.zoomOut')} ?disabled=${zoomStep(this.zoom, -1) === this.zoom} @click=${() => this.setZoom(zoomStep(this.zoom, -1))}>−</button>
                <span class="zoom" role="status" aria-live="polite">${Math.round(this.zoom * 100)}%</span>
                <button class="icon-btn" aria-label=${t('share.doc.zoomIn')} ?disabled=${zoomStep(this.zoom, 1) === this.zoom} @click=${() => this.setZoom(zoomStep(this.zoom, 1))}>+</button>
                <button class="btn fit" title=${t('share.doc.fit')} @click=${() => this.setZoom('fit')}><span class="fit-icon" aria-hidden="true">↔</span><span class="fit-text">${t('share.doc.fit')}</span></button>
              </div>`
          : nothing}
        </div>
        ${this.opened.link.allowDownload ? html`<button class="btn download" @click=${this.download}>${t('share.doc.download')}</button>` : nothing}
      </header>
      <div class="stage" tabindex="0" role="region" aria-label=${pdf && this.pages ? t('share.doc.pageLabel', { page: this.page, total: this.pages }) : t('share.doc.viewer')} @keydown=${this.onKey}>
        ${this.status === 'loading' ? html`<dossier-state kind="loading" heading=${t('share.doc.loading')}></dossier-state>` : nothing}
        ${this.status === 'failed' ? html`<p class="alert" role="alert">${t('share.doc.failed')}</p>` : nothing}
        ${this.status === 'unviewable' ? html`<p role="status">${t('share.doc.notViewable')}</p>` : nothing}
        ${pdf && this.status === 'ready'
          ? html`<canvas role="img" aria-label=${t('share.doc.pageLabel', { page: this.page, total: this.pages })}></canvas>
              <div class="visually-hidden" data-page-text>${this.pageText}</div>`
          : nothing}
        ${this.imageUrl ? html`<img src=${this.imageUrl} alt=${doc.name} />` : nothing}
        ${this.text ? html`<pre>${this.text}</pre>` : nothing}
      </div>
    `;
  }
}

define('share-document', ShareDocument);
