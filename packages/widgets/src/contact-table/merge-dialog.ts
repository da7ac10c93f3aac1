// Merge dialog (loaded on first use): side-by-side comparison, a pick per field, a dry-run preview, merge.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { consume } from '@lit/context';
import { dossierContext } from '../../../core/src/context.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { formatDay } from '../../../core/src/format.js';
import { addMessages, plural, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { ContactJson, CustomFieldJson, MemberJson } from '../../../core/src/types.js';

addMessages('en', {
  'merge.title.one': 'Merge {count} contact',
  'merge.title.other': 'Merge {count} contacts',
  'merge.help': 'Pick the value to keep for each field. Emails, phones, tags, followers and history are combined. You can unmerge afterwards.',
  'merge.survivor': 'Keep this record',
  'merge.field': 'Field',
  'merge.preview': 'Result preview',
  'merge.previewing': 'Checking the merge…',
  'merge.confirm': 'Merge contacts',
  'merge.emails': 'Emails',
  'merge.phones': 'Phones',
  'merge.tags': 'Tags',
  'merge.pick': 'Keep {value} for {field}',
});

const SCALARS = ['firstName', 'lastName', 'companyName', 'website', 'ownerId', 'source', 'avatarUrl', 'address'] as const;

interface Preview {
  result: ContactJson;
  conflicts: { field: string }[];
}

export class TableMergeDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(860px, 96vw);
      }
      h2 {
        margin: 0 0 6px;
        font-size: 1.1em;
      }
      .scroll {
        overflow: auto;
        max-height: 50vh;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: start;
        border-bottom: 1px solid var(--_border);
        padding: 6px 8px;
        vertical-align: top;
      }
      td label {
        color: var(--_text);
        display: flex;
        gap: 6px;
      }
      .conflict th {
        color: var(--_accent);
      }
      .preview {
        background: var(--_surface);
        border-radius: var(--_radius-sm);
        padding: 8px 12px;
        margin-top: 10px;
        /* Long addresses wrap instead of running out of the dialog. */
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 12px;
      }
    `,
  ];

  @consume({ context: dossierContext, subscribe: true }) @state() private dossier?: DossierClient;
  @property({ attribute: false }) contacts: ContactJson[] = [];
  @property({ attribute: false }) fields: CustomFieldJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  @state() survivorId = '';
  @state() pick: Record<string, string> = {};
  @state() preview: Preview | null = null;
  @state() error = '';
  @state() busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  private seq = 0;

  protected override willUpdate(changed: PropertyValues<this>) {
    // The first contact listed survives unless the user picks another; chosen before the first render (setting
    // it in firstUpdated() would schedule a second update).
    if (changed.has('contacts') && !this.contacts.some((c) => c.id === this.survivorId)) this.survivorId = this.contacts[0]?.id ?? '';
  }

  override async firstUpdated() {
    this.dialog.showModal();
    await this.runPreview();
  }

  private body() {
    return { survivorId: this.survivorId, mergedIds: this.contacts.map((c) => c.id).filter((id) => id !== this.survivorId), pick: this.pick };
  }

  async runPreview() {
    const client = this.dossier;
    if (!client) return;
    const seq = ++this.seq;
    this.error = '';
    try {
      const p = (await unwrap(client.api.api.v1.contacts.merge.preview.$post({ json: this.body() as never }))) as unknown as Preview;
      if (seq === this.seq) this.preview = p;
    } catch (err) {
      if (seq === this.seq) this.error = (err as Error).message;
    }
  }

  private async merge() {
    const client = this.dossier;
    if (!client) return;
    this.busy = true;
    this.error = '';
    try {
      const res = (await unwrap(client.api.api.v1.contacts.merge.$post({ json: this.body() as never }))) as unknown as { mergeId: string; survivor: ContactJson };
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('merged', { detail: res }));
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** A value as the reader knows it: a member's name, Yes / No, a date in their format — never "false" or "1959-07-14". */
  private display(path: string, c: ContactJson): string {
    const v = path.startsWith('customFields.') ? c.customFields[path.slice(13)] : (c as unknown as Record<string, unknown>)[path];
    if (v == null || v === '') return '';
    if (path === 'ownerId') return this.members.find((m) => m.id === v)?.name ?? String(v);
    if (path === 'address') return Object.values(v as object).filter(Boolean).join(', ');
    const type = this.fields.find((f) => `customFields.${f.key}` === path)?.type;
    if (type === 'checkbox' || typeof v === 'boolean') return t(v ? 'value.yes' : 'value.no');
    if (type === 'date') return formatDay(String(v));
    return Array.isArray(v) ? v.join(', ') : String(v);
  }

  private label(path: string) {
    if (path.startsWith('customFields.')) return this.fields.find((f) => f.key === path.slice(13))?.label ?? path;
    const key = { ownerId: 'table.col.owner', companyName: 'table.col.companyName', source: 'table.col.source' }[path as string] ?? `record.${path}`;
    const text = t(key);
    return text === key ? path : text;
  }

  private setPick(path: string, id: string) {
    this.pick = { ...this.pick, [path]: id };
    void this.runPreview();
  }

  protected override render() {
    const cs = this.contacts;
    const paths = [...SCALARS, ...this.fields.map((f) => `customFields.${f.key}`)].filter((p) => cs.some((c) => this.display(p, c)));
    const conflicts = new Set(this.preview?.conflicts.map((c) => c.field));
    const r = this.preview?.result;
    return html`<dialog aria-labelledby="h" @cancel=${() => this.dispatchEvent(new Event('close'))} @close=${() => this.dispatchEvent(new Event('close'))}>
      <h2 id="h">${plural('merge.title', cs.length)}</h2>
      <p>${t('merge.help')}</p>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">${t('merge.field')}</th>
              ${cs.map((c) => html`<th scope="col">${c.name || c.id}<br /><label><input type="radio" name="survivor" .checked=${c.id === this.survivorId}
                @change=${() => { this.survivorId = c.id; void this.runPreview(); }} />${t('merge.survivor')}</label></th>`)}
            </tr>
          </thead>
          <tbody>
            ${paths.map((p) => {
              const values = cs.map((c) => this.display(p, c));
              const differ = new Set(values.filter(Boolean)).size > 1;
              const chosen = this.pick[p] ?? (values[cs.findIndex((c) => c.id === this.survivorId)] ? this.survivorId : cs[values.findIndex(Boolean)]?.id);
              return html`<tr class=${differ || conflicts.has(p) ? 'conflict' : ''}>
                <th scope="row">${this.label(p)}</th>
                ${cs.map((c, i) => html`<td>${differ && values[i]
                  ? html`<label><input type="radio" name="pick-${p}" .checked=${chosen === c.id} aria-label=${t('merge.pick', { value: values[i]!, field: this.label(p) })} @change=${() => this.setPick(p, c.id)} />${values[i]}</label>`
                  : values[i]}</td>`)}
              </tr>`;
            })}
            <tr><th scope="row">${t('merge.emails')}</th>${cs.map((c) => html`<td>${c.emails.map((e) => e.value).join(', ')}</td>`)}</tr>
            <tr><th scope="row">${t('merge.phones')}</th>${cs.map((c) => html`<td>${c.phones.map((x) => x.display).join(', ')}</td>`)}</tr>
            <tr><th scope="row">${t('merge.tags')}</th>${cs.map((c) => html`<td>${c.tags.join(', ')}</td>`)}</tr>
          </tbody>
        </table>
      </div>
      <section class="preview" aria-live="polite" aria-label=${t('merge.preview')}>
        <strong>${t('merge.preview')}:</strong>
        ${r
          ? html`<div class="result-name">${r.name}</div>
              <div>${t('merge.emails')}: ${r.emails.map((e) => e.value).join(', ') || '—'}</div>
              <div>${t('merge.phones')}: ${r.phones.map((x) => x.display).join(', ') || '—'}</div>
              <div>${t('merge.tags')}: ${r.tags.join(', ') || '—'}</div>`
          : html`<div>${t('merge.previewing')}</div>`}
      </section>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button class="btn" @click=${() => this.dialog.close()}>${t('action.cancel')}</button>
        <button class="btn primary" ?disabled=${this.busy || !r} @click=${() => this.merge()}>${t('merge.confirm')}</button>
      </div>
    </dialog>`;
  }
}
define('table-merge-dialog', TableMergeDialog);
