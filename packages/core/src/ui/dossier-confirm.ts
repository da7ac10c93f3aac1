import { css, html } from 'lit';
import { property, query } from 'lit/decorators.js';
import { define, ThemedElement } from '../dossier-element.js';
import { t } from '../i18n.js';
import { controls, dialogStyles, tokens } from '../theme.js';

/** A modal confirmation on the native <dialog> (focus trap, Escape, inert page for free). `ask()` resolves true on confirm. */
export class DossierConfirm extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(420px, 90vw);
      }
      h2 {
        margin: 0 0 8px;
        font-size: 1.1em;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
    `,
  ];

  @property() heading = '';
  @property() message = '';
  @property({ attribute: 'confirm-label' }) confirmLabel = t('action.delete');
  @property({ type: Boolean }) danger = true;
  @query('dialog') private dialog!: HTMLDialogElement;
  private settle?: (ok: boolean) => void;

  async ask(): Promise<boolean> {
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => (this.settle = resolve));
  }

  private close(ok: boolean) {
    this.dialog.close();
    this.settle?.(ok);
    this.settle = undefined;
  }

  protected override render() {
    return html`<dialog aria-labelledby="h" @cancel=${() => this.settle?.(false)}>
      <h2 id="h">${this.heading}</h2>
      <p>${this.message}</p>
      <div class="actions">
        <button class="btn" autofocus @click=${() => this.close(false)}>${t('action.cancel')}</button>
        <button class="btn primary ${this.danger ? 'danger' : ''}" @click=${() => this.close(true)}>${this.confirmLabel}</button>
      </div>
    </dialog>`;
  }
}
define('dossier-confirm', DossierConfirm);
