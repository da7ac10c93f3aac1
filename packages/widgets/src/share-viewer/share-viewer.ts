import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { tokens } from '../../../core/src/theme.js';
import type { ShareViewerGate } from './share-viewer-gate.js';
import { loadChunk } from '../../../core/src/chunk.js';

/**
 * The public viewer behind a share link: asks for what the link requires (an email address, a WhatsApp number, or
 * either), sends and checks a one-time code when the link verifies, then shows the document (PDF page by page with
 * navigation and zoom, images, text) with a download button only when allowed. Needs no provider and no staff
 * token: it talks to the public share API cross-origin without cookies; the viewer token is kept in sessionStorage
 * of the embedding page. Everything but this shell loads lazily (the gate, pdf.js, the phone-number rules).
 *
 * @element share-viewer
 * @attr slug - The share link's slug (the part after /s/).
 * @attr base-url - The Dossier server origin (default: the page's origin).
 * @attr theme - `light`, `dark` or `auto`.
 * @prop {typeof fetch} fetch - Custom fetch for the public API (tests, Storybook).
 * @fires share-open - The gate was passed and the document shows: `detail.document` (name, kind, size, mediaType), `detail.viewId`.
 * @fires dossier-error - A failure the viewer is showing: `detail.error`, `detail.action`.
 * @csspart card - The gate card (email / WhatsApp / code steps and the "not available" pages).
 * @cssprop --share-viewer-card-bg - Background of the gate card (falls back to the background colour).
 * @cssprop --dossier-color-accent - Accent colour.
 * @cssprop --dossier-color-bg - Background.
 * @cssprop --dossier-color-text - Text colour.
 * @cssprop --dossier-font-family - Font.
 */
export class ShareViewer extends DossierElement {
  static override styles = [tokens, css`:host { display: block; } p { color: var(--_muted); text-align: center; padding: 32px; }`];

  @property({ reflect: true }) slug = '';
  @property({ attribute: 'base-url' }) baseUrl = '';
  /** Custom fetch for the public API (tests, Storybook); default: the global one. */
  @property({ attribute: false }) fetch?: typeof fetch;
  /** true once the gate's code loaded; the error's message when it could not (`chunk_load`, reported). */
  @state() private ready: boolean | string = false;

  override connectedCallback() {
    super.connectedCallback();
    void loadChunk(() => import('./share-viewer-gate.js')).then(
      () => (this.ready = true),
      (err: Error) => {
        this.ready = err.message;
        this.reportError(err, 'load-chunk');
      },
    );
  }

  /** The gate element inside (after it loaded), for tests and hosts that want to drive it. */
  get gate(): ShareViewerGate | null {
    return this.renderRoot.querySelector('share-viewer-gate');
  }

  protected override render() {
    if (this.ready !== true) return html`<p role=${this.ready ? 'alert' : 'status'}>${this.ready || '…'}</p>`;
    return html`<share-viewer-gate exportparts="card" .fetch=${this.fetch} slug=${this.slug} base-url=${this.baseUrl || nothing} theme=${this.dataset.theme ?? 'light'}></share-viewer-gate>`;
  }
}

define('share-viewer', ShareViewer);

declare global {
  interface HTMLElementTagNameMap {
    'share-viewer': ShareViewer;
  }
}
