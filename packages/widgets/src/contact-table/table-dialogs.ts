// Small form dialogs (save / rename view, bulk tags, assign owner, export options), loaded on first use.
import { css, html } from 'lit';
import { property, query } from 'lit/decorators.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import '../../../core/src/ui/dossier-tag-input.js';

addMessages('en', {
  'action.save': 'Save',
  'dialog.viewName': 'View name',
  'dialog.scope': 'Who sees it',
  'dialog.scope.personal': 'Only me',
  'dialog.scope.workspace': 'Everyone in the workspace',
  'dialog.export': 'Export contacts to CSV',
  'dialog.bom': 'Add a byte order mark (for Excel)',
  'dialog.exportStarted': 'Export ready, download started.',
  'dialog.required': 'Fill this in.',
});

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'select' | 'checkbox' | 'tags';
  options?: [value: string, label: string][];
  value?: unknown;
  required?: boolean;
}

/** A modal form on the native <dialog>. Resolves with the values, or null when cancelled. */
export class TableFormDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(420px, 92vw);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      .field {
        display: grid;
        gap: 4px;
        margin-bottom: 12px;
      }
      .check {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
    `,
  ];

  @property() heading = '';
  @property() confirmLabel = t('action.save');
  @property({ attribute: false }) fields: FormField[] = [];
  @property({ attribute: false }) values: Record<string, unknown> = {};
  @property() error = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  settle?: (v: Record<string, unknown> | null) => void;

  async open() {
    this.values = Object.fromEntries(this.fields.map((f) => [f.name, f.value ?? (f.type === 'tags' ? [] : f.type === 'checkbox' ? false : (f.options?.[0]?.[0] ?? ''))]));
    await this.updateComplete;
    this.dialog.showModal();
  }

  private finish(ok: boolean) {
    if (ok) {
      const missing = this.fields.find((f) => f.required && (Array.isArray(this.values[f.name]) ? !(this.values[f.name] as unknown[]).length : !String(this.values[f.name] ?? '').trim()));
      if (missing) {
        this.error = `${missing.label}: ${t('dialog.required')}`;
        return;
      }
    }
    this.dialog.close();
    this.settle?.(ok ? this.values : null);
    this.settle = undefined;
    this.remove();
  }

  private set(name: string, value: unknown) {
    this.values = { ...this.values, [name]: value };
  }

  private renderField(f: FormField) {
    const v = this.values[f.name];
    switch (f.type) {
      case 'checkbox':
        return html`<label class="check"><input type="checkbox" .checked=${Boolean(v)} @change=${(e: Event) => this.set(f.name, (e.target as HTMLInputElement).checked)} />${f.label}</label>`;
      case 'select':
        return html`<label class="field">${f.label}<select @change=${(e: Event) => this.set(f.name, (e.target as HTMLSelectElement).value)}>
          ${f.options?.map(([value, label]) => html`<option value=${value} ?selected=${value === v}>${label}</option>`)}</select></label>`;
      case 'tags':
        return html`<div class="field"><span>${f.label}</span><dossier-tag-input .tags=${(v as string[]) ?? []} label=${f.label}
          @tags-change=${(e: CustomEvent<{ tags: string[] }>) => this.set(f.name, e.detail.tags)}></dossier-tag-input></div>`;
      default:
        return html`<label class="field">${f.label}<input name=${f.name} .value=${String(v ?? '')} ?required=${f.required} @input=${(e: Event) => this.set(f.name, (e.target as HTMLInputElement).value)} /></label>`;
    }
  }

  protected override render() {
    return html`<dialog aria-labelledby="h" @cancel=${(e: Event) => { e.preventDefault(); this.finish(false); }}>
      <form method="dialog" @submit=${(e: Event) => { e.preventDefault(); this.finish(true); }}>
        <h2 id="h">${this.heading}</h2>
        ${this.fields.map((f) => this.renderField(f))}
        ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : ''}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.finish(false)}>${t('action.cancel')}</button>
          <button type="submit" class="btn primary">${this.confirmLabel}</button>
        </div>
      </form>
    </dialog>`;
  }
}
define('table-form-dialog', TableFormDialog);

export function ask(root: Node, heading: string, fields: FormField[], confirmLabel = t('action.save')): Promise<Record<string, unknown> | null> {
  const dialog = document.createElement('table-form-dialog') as TableFormDialog;
  dialog.heading = heading;
  dialog.fields = fields;
  dialog.confirmLabel = confirmLabel;
  (root as ParentNode).append(dialog);
  return new Promise((resolve) => {
    dialog.settle = resolve;
    void dialog.open();
  });
}
