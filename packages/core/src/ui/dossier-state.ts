import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from '../dossier-element.js';
import { localize, t } from '../i18n.js';

export type StateKind = 'loading' | 'empty' | 'error' | 'forbidden' | 'not-found';

/**
 * Loading / empty / error panels with one look everywhere. Errors get role=alert and a retry button
 * (fires `retry`) when `retryable` is set.
 */
export class DossierState extends LitElement {
  constructor() {
    super();
    localize(this);
  }

  static override styles = css`
    :host {
      display: grid;
      place-items: center;
      gap: 8px;
      padding: 32px 16px;
      text-align: center;
      color: var(--_muted, #5d6170);
    }
    .spinner {
      width: 22px;
      height: 22px;
      border: 3px solid currentColor;
      border-right-color: transparent;
      border-radius: 50%;
      animation: spin 0.8s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation-duration: 3s;
      }
    }
    :host([kind='error']) .title {
      color: var(--_danger, #c92a2a);
    }
    .title {
      font-weight: 600;
      color: var(--_text, inherit);
    }
    button {
      font: inherit;
      border: 1px solid var(--_border, #ccc);
      background: var(--_bg, #fff);
      color: var(--_text, inherit);
      border-radius: 6px;
      padding: 6px 12px;
      cursor: pointer;
    }
  `;

  @property({ reflect: true }) kind: StateKind = 'loading';
  @property() heading = '';
  @property() message = '';
  @property({ type: Boolean }) retryable = false;

  protected override render() {
    const loading = this.kind === 'loading';
    const heading =
      this.heading ||
      { loading: t('state.loading'), empty: '', error: t('state.error'), forbidden: t('state.forbidden'), 'not-found': t('state.notFound') }[this.kind];
    return html`
      <div role=${this.kind === 'error' ? 'alert' : 'status'} aria-live="polite">
        ${loading ? html`<div class="spinner" aria-hidden="true"></div>` : nothing}
        ${heading ? html`<div class="title">${heading}</div>` : nothing}
        ${this.message ? html`<div>${this.message}</div>` : nothing}
      </div>
      <slot></slot>
      ${this.retryable ? html`<button @click=${() => this.dispatchEvent(new Event('retry', { bubbles: true, composed: true }))}>${t('state.retry')}</button>` : nothing}
    `;
  }
}
define('dossier-state', DossierState);
