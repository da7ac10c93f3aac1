// A PDF rendered with pdf.js onto a canvas, one page at a time. pdf.js (and its worker) load on first use,
// with dynamic import(), so the main bundle never carries them.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import { loadChunk } from '../../../core/src/chunk.js';

addMessages('en', {
  'pdf.page': 'Page {page} of {pages}',
  'pdf.previous': 'Previous page',
  'pdf.next': 'Next page',
  'pdf.failed': 'This PDF could not be shown: {message}',
  'pdf.canvas': 'Page {page} of {name}',
});

type PdfJs = typeof import('pdfjs-dist');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

/**
 * A worker script must be same-origin. When dossier.js comes from the Dossier server on another origin, start a
 * same-origin (blob:) module worker that imports it (module scripts load with CORS, like dossier.js itself).
 * Named `Worker` so Vite still recognises `new Worker(new URL(…, import.meta.url))` and bundles the worker.
 */
class Worker extends globalThis.Worker {
  constructor(url: URL, options: WorkerOptions) {
    const shim = () => URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
    const src = url.origin === location.origin ? url.href : shim();
    super(trustedWorkerUrl(src) as string, options);
  }
}

type ScriptUrlPolicy = { createScriptURL(url: string): unknown };
let policy: ScriptUrlPolicy | null | undefined;
/**
 * Under `require-trusted-types-for 'script'` a worker's URL must be a TrustedScriptURL: the `dossier` policy makes
 * one, and only for the worker URL this module starts (a host that lists policy names allows `dossier`).
 */
function trustedWorkerUrl(src: string): unknown {
  const tt = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy } }).trustedTypes;
  if (policy === undefined) {
    try {
      policy = tt?.createPolicy('dossier', { createScriptURL: (url) => url }) ?? null;
    } catch {
      policy = null; // names restricted without ours, or made twice (two bundles on a page): the browser decides
    }
  }
  return policy ? policy.createScriptURL(src) : src;
}

let pdfjs: Promise<PdfJs> | undefined;
/** Rejects when the worker script cannot load (pdf.js itself would wait forever). */
let workerFailed: Promise<never> = new Promise(() => {});
/** Loads pdf.js once, with its worker in a module worker of our own. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= loadChunk(() => import('pdfjs-dist')).then((lib) => {
    // Written exactly like this so Vite bundles the worker (and the test runner serves it as a module).
    const worker = new Worker(new URL('./pdf.worker.ts', import.meta.url), { type: 'module' });
    workerFailed = new Promise((_, reject) => worker.addEventListener('error', () => reject(new Error('the PDF reader failed to load.')), { once: true }));
    workerFailed.catch(() => undefined);
    lib.GlobalWorkerOptions.workerPort = worker;
    return lib;
  });
  return pdfjs;
}

export class PdfView extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: grid;
        gap: 8px;
        justify-items: center;
        padding: 8px;
      }
      canvas {
        max-width: 100%;
        height: auto;
        background: #fff;
        box-shadow: 0 1px 4px rgb(0 0 0 / 0.2);
      }
      nav {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      .err {
        color: var(--_danger);
      }
    `,
  ];

  @property() src = '';
  @property() name = '';
  @state() page = 1;
  @state() pages = 0;
  @state() private error = '';
  @query('canvas') private canvas!: HTMLCanvasElement;
  private doc?: PdfDocument;
  private rendering = Promise.resolve();

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed); // ThemedElement takes the widget's theme there
    if (changed.has('src') && this.src) void this.open(this.src);
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('page') || changed.has('pages')) this.rendering = this.rendering.then(() => this.draw());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    void this.doc?.destroy();
    this.doc = undefined;
  }

  private async open(src: string) {
    this.error = '';
    try {
      const lib = await loadPdfJs();
      await this.doc?.destroy();
      this.doc = await Promise.race([lib.getDocument({ url: src, isEvalSupported: false }).promise, workerFailed]);
      this.page = 1;
      this.pages = this.doc.numPages;
    } catch (err) {
      this.error = t('pdf.failed', { message: (err as Error).message });
    }
  }

  private async draw() {
    const doc = this.doc;
    if (!doc || !this.canvas) return;
    try {
      const page = await doc.getPage(this.page);
      const base = page.getViewport({ scale: 1 });
      const width = Math.min(this.clientWidth || 800, 1200);
      const viewport = page.getViewport({ scale: (width / base.width) * (globalThis.devicePixelRatio || 1) });
      this.canvas.width = Math.floor(viewport.width);
      this.canvas.height = Math.floor(viewport.height);
      this.canvas.style.width = `${Math.floor(viewport.width / (globalThis.devicePixelRatio || 1))}px`;
      await page.render({ canvas: this.canvas, viewport }).promise;
      this.dataset.rendered = String(this.page);
      this.dispatchEvent(new Event('rendered'));
    } catch (err) {
      this.error = t('pdf.failed', { message: (err as Error).message });
    }
  }

  protected override render() {
    if (this.error) return html`<p class="err" role="alert">${this.error}</p>`;
    if (!this.pages) return html`<dossier-state kind="loading"></dossier-state>`;
    return html`${this.pages > 1
        ? html`<nav aria-label=${this.name}>
            <button class="btn" ?disabled=${this.page <= 1} @click=${() => this.page--}>${t('pdf.previous')}</button>
            <span role="status">${t('pdf.page', { page: this.page, pages: this.pages })}</span>
            <button class="btn" ?disabled=${this.page >= this.pages} @click=${() => this.page++}>${t('pdf.next')}</button>
          </nav>`
        : nothing}
      <canvas role="img" aria-label=${t('pdf.canvas', { page: this.page, name: this.name })}></canvas>`;
  }
}
define('documents-pdf-view', PdfView);

declare global {
  interface HTMLElementTagNameMap {
    'documents-pdf-view': PdfView;
  }
}
