import { provide } from '@lit/context';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DossierClient } from './client.js';
import { dossierContext, themeContext, type Theme } from './context.js';
import { define } from './dossier-element.js';
import { DossierErrorEvent } from './events.js';
import { setLocale } from './i18n.js';
import { TokenSource, tokenFromUrl, type GetToken } from './token-source.js';

/**
 * Connects every Dossier element inside it to a Dossier server. Shows nothing itself.
 *
 * @element dossier-provider
 * @attr base-url - The Dossier server's origin (and path prefix), e.g. `https://dossier.example.com`. Defaults to this page's origin.
 * @attr token-url - A URL on the host's backend answering POST with `{ token, expiresAt }` (it calls `POST /api/v1/sessions` with the secret key).
 * @attr theme - `light` (default), `dark` or `auto`; inherited by the elements inside.
 * @attr lang - The UI language of every Dossier element on the page (messages, dates, numbers, plurals), e.g. `de`, `fr-CA`, `ar`. Defaults to the page's `<html lang>`; English when Dossier has no catalogue for it. `ar` lays the elements out right-to-left.
 * @prop {() => Promise<string | { token: string; expiresAt?: number }>} getToken - Instead of `token-url`: a callback that returns a widget token.
 * @prop {typeof fetch} fetch - Optional fetch implementation (tests, Storybook, special hosts).
 * @fires dossier-error - When a token could not be refreshed.
 * @slot - The Dossier elements (and anything else).
 */
export class DossierProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  @property({ attribute: 'base-url' }) baseUrl = '';
  @property({ attribute: 'token-url' }) tokenUrl = '';
  @property({ attribute: false }) getToken?: GetToken;
  @property({ attribute: false }) fetch?: typeof fetch;
  @property() override lang = '';
  /** Whether the `dir` attribute is ours (set for a right-to-left language) rather than the host's. */
  private rtl = false;

  @provide({ context: themeContext })
  @property({ reflect: true })
  theme: Theme = 'light';

  @provide({ context: dossierContext })
  @state()
  protected client?: DossierClient;

  private tokens?: TokenSource;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang')) void this.applyLang();
    if (changed.has('baseUrl') || changed.has('tokenUrl') || changed.has('getToken') || changed.has('fetch')) this.connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.tokens?.dispose();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a move: rebuild what disconnectedCallback stopped.
    if (this.hasUpdated) this.connect();
  }

  private async applyLang() {
    const rtl = /^(ar|fa|he|ur)\b/.test(await setLocale(this.lang || document.documentElement.lang));
    // Elements inherit the direction through the (display: contents) provider; a host's own `dir` wins.
    if (rtl !== this.rtl && (this.rtl || !this.dir)) this.dir = (this.rtl = rtl) ? 'rtl' : '';
  }

  private connect() {
    this.tokens?.dispose();
    const getToken = this.getToken ?? (this.tokenUrl ? tokenFromUrl(this.tokenUrl, this.fetch) : undefined);
    if (!getToken) {
      this.client = undefined;
      return;
    }
    const baseUrl = this.baseUrl || location.origin;
    this.tokens = new TokenSource(getToken, (error) =>
      this.dispatchEvent(new DossierErrorEvent({ error, action: 'refresh-token' })),
    );
    this.client = new DossierClient(baseUrl, this.tokens, this.fetch);
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

define('dossier-provider', DossierProvider);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-provider': DossierProvider;
  }
}
