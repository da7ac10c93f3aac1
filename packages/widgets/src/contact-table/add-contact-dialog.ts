// "Add contact" (loaded on first use): a form for one contact that warns of likely duplicates before creating.
import { consume } from '@lit/context';
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { dossierContext } from '../../../core/src/context.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { ContactJson, CustomFieldJson, MemberJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-tag-input.js';

addMessages('en', {
  'add.title': 'Add contact',
  'add.firstName': 'First name',
  'add.lastName': 'Last name',
  'add.email': 'Email {n}',
  'add.phone': 'Phone {n}',
  'add.label': 'Label',
  'add.labelOf': 'Label of {field}',
  'add.emails': 'Emails',
  'add.phones': 'Phones',
  'add.addEmail': 'Add another email',
  'add.addPhone': 'Add another phone',
  'add.removeRow': 'Remove {field}',
  'add.tags': 'Tags',
  'add.owner': 'Owner',
  'add.custom': 'Custom fields',
  'add.create': 'Create contact',
  'add.several': 'Add several…',
  'add.checking': 'Checking for duplicates…',
  'add.saving': 'Creating…',
  'add.empty': 'Enter a name, an email or a phone number.',
  'add.dupes': 'These contacts have the same email or phone:',
  'add.open': 'Open',
  'add.openName': 'Open {name}',
  'add.anyway': 'Create anyway',
  'add.fileLater': 'Upload files in the record once the contact exists.',
  'add.yes': 'Yes',
});

interface Row {
  value: string;
  label: string;
}

/** Server paths (`emails[1].value`, `customFields.plan`) → the message shown beside that input. */
export function fieldErrors(err: unknown): { fields: Record<string, string>; general: string } {
  if (!(err instanceof DossierApiError)) return { fields: {}, general: (err as Error)?.message ?? t('state.error') };
  const fields: Record<string, string> = {};
  for (const d of err.fieldProblems) fields[d.path] ??= d.message;
  return { fields, general: Object.keys(fields).length ? '' : err.message };
}

export class TableAddContact extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(520px, 96vw);
        max-height: 92vh;
        box-sizing: border-box;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      .names,
      .multi {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
      .multi {
        grid-template-columns: minmax(0, 1fr) 7.5em auto;
        align-items: start;
      }
      .field {
        display: grid;
        gap: 4px;
        margin-bottom: 10px;
        min-width: 0;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 10px;
        min-width: 0;
      }
      legend {
        color: var(--_muted);
        font-size: 0.92em;
        padding: 0;
        margin-bottom: 4px;
      }
      input,
      select {
        min-width: 0;
        width: 100%;
        box-sizing: border-box;
      }
      input[type='checkbox'] {
        width: auto;
      }
      .check {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .dupes {
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        padding: 8px 12px;
        margin: 0 0 10px;
        background: var(--_surface);
      }
      .dupes ul {
        list-style: none;
        margin: 6px 0 0;
        padding: 0;
      }
      .dupes li {
        display: flex;
        gap: 8px;
        align-items: center;
        justify-content: space-between;
        padding: 4px 0;
        overflow-wrap: anywhere;
      }
      .link {
        border: 0;
        background: none;
        color: var(--_accent);
        text-decoration: underline;
        padding: 4px 0;
        font: inherit;
        cursor: pointer;
      }
      .dupes li button {
        flex: none;
      }
      .muted {
        color: var(--_muted);
        font-size: 0.9em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 8px;
      }
      .actions .first {
        margin-inline-end: auto;
      }
    `,
  ];

  @consume({ context: dossierContext, subscribe: true }) @state() private dossier?: DossierClient;
  @property({ attribute: false }) fields: CustomFieldJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  /** Offer "Add several" (the import wizard): the member may import. */
  @property({ type: Boolean }) canImport = false;
  @state() firstName = '';
  @state() lastName = '';
  @state() emails: Row[] = [{ value: '', label: '' }];
  @state() phones: Row[] = [{ value: '', label: '' }];
  @state() tags: string[] = [];
  @state() ownerId = '';
  @state() custom: Record<string, unknown> = {};
  @state() errors: Record<string, string> = {};
  @state() error = '';
  @state() busy: '' | 'checking' | 'saving' = '';
  /** Likely duplicates of what was typed (null: not checked since the last email / phone change). */
  @state() dupes: ContactJson[] | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;

  override firstUpdated() {
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('#firstName')?.focus();
  }

  private get body() {
    const rows = (list: Row[]) => list.filter((r) => r.value.trim()).map((r) => ({ value: r.value.trim(), ...(r.label.trim() && { label: r.label.trim() }) }));
    const custom = Object.fromEntries(Object.entries(this.custom).filter(([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && !v.length)));
    return {
      ...(this.firstName.trim() && { firstName: this.firstName.trim() }),
      ...(this.lastName.trim() && { lastName: this.lastName.trim() }),
      emails: rows(this.emails),
      phones: rows(this.phones),
      tags: this.tags,
      ...(this.ownerId && { ownerId: this.ownerId }),
      ...(Object.keys(custom).length && { customFields: custom }),
    };
  }

  /** Contacts the caller may see that share an email or a phone (digits) with the form. */
  private async findDupes(client: DossierClient): Promise<ContactJson[]> {
    const b = this.body;
    const or = [
      ...b.emails.map((e) => ({ field: 'email', op: 'is', value: e.value })),
      // Digits, so "+1 555…" and "(555)…" meet; short fragments would match too much.
      ...b.phones.map((p) => p.value.replace(/\D/g, '')).filter((d) => d.length >= 6).map((d) => ({ field: 'phone', op: 'contains', value: d.slice(-9) })),
    ];
    if (!or.length) return [];
    const res = await unwrap(client.api.api.v1.contacts.query.$post({ json: { filter: { or }, limit: 10, count: false } as never }) as never);
    return (res as { items: ContactJson[] }).items;
  }

  private async submit(anyway = false) {
    const client = this.dossier;
    if (!client || this.busy) return;
    const b = this.body;
    if (!b.firstName && !b.lastName && !b.emails.length && !b.phones.length) {
      this.error = t('add.empty');
      return;
    }
    this.error = '';
    try {
      if (!anyway) {
        this.busy = 'checking';
        this.dupes = await this.findDupes(client);
        if (this.dupes.length) {
          // The list is below the form: on a small screen it would be out of sight.
          await this.updateComplete;
          this.renderRoot.querySelector('.dupes')?.scrollIntoView({ block: 'nearest' });
          return;
        }
      }
      this.busy = 'saving';
      const contact = (await unwrap(client.api.api.v1.contacts.$post({ json: b as never }) as never)) as ContactJson;
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('created', { detail: { contact } }));
    } catch (err) {
      const { fields, general } = fieldErrors(err);
      this.errors = fields;
      this.error = general;
      this.dupes = null;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } finally {
      this.busy = '';
    }
  }

  private setRow(kind: 'emails' | 'phones', i: number, key: keyof Row, value: string) {
    this[kind] = this[kind].map((r, j) => (j === i ? { ...r, [key]: value } : r));
    if (key === 'value') this.dupes = null;
  }

  private err(path: string) {
    const msg = this.errors[path];
    return msg ? html`<p class="field-error" id="e-${path}">${msg}</p>` : nothing;
  }

  private input(id: string, label: string, value: string, set: (v: string) => void, path: string, type = 'text') {
    const bad = Boolean(this.errors[path]);
    return html`<label class="field">${label}<input id=${id} type=${type} .value=${value} aria-invalid=${bad ? 'true' : 'false'}
      aria-describedby=${bad ? `e-${path}` : nothing} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />${this.err(path)}</label>`;
  }

  private renderRows(kind: 'emails' | 'phones') {
    const list = this[kind];
    const one = kind === 'emails' ? 'add.email' : 'add.phone';
    return html`<fieldset>
      <legend>${t(`add.${kind}`)}</legend>
      ${list.map((r, i) => {
        const name = t(one, { n: i + 1 });
        const path = `${kind}[${i}].value`;
        const bad = Boolean(this.errors[path]);
        return html`<div class="multi">
          <div class="field"><input type=${kind === 'emails' ? 'email' : 'tel'} dir="ltr" aria-label=${name} .value=${r.value} aria-invalid=${bad ? 'true' : 'false'}
            aria-describedby=${bad ? `e-${path}` : nothing} @input=${(e: Event) => this.setRow(kind, i, 'value', (e.target as HTMLInputElement).value)} />${this.err(path)}</div>
          <input aria-label=${t('add.labelOf', { field: name })} placeholder=${t('add.label')} .value=${r.label} @input=${(e: Event) => this.setRow(kind, i, 'label', (e.target as HTMLInputElement).value)} />
          ${list.length > 1
            ? html`<button type="button" class="icon-btn" aria-label=${t('add.removeRow', { field: name })} @click=${() => { this[kind] = list.filter((_, j) => j !== i); this.dupes = null; this.errors = {}; }}>×</button>`
            : html`<span></span>`}
        </div>`;
      })}
      <button type="button" class="link" @click=${() => (this[kind] = [...list, { value: '', label: '' }])}>${t(kind === 'emails' ? 'add.addEmail' : 'add.addPhone')}</button>
    </fieldset>`;
  }

  private renderCustom(f: CustomFieldJson) {
    const path = `customFields.${f.key}`;
    const v = this.custom[f.key];
    const set = (value: unknown) => (this.custom = { ...this.custom, [f.key]: value });
    const bad = this.errors[path] ? 'true' : 'false';
    const described = this.errors[path] ? `e-${path}` : nothing;
    switch (f.type) {
      case 'file':
        return html`<p class="field muted">${f.label}: ${t('add.fileLater')}</p>`;
      case 'checkbox':
        return html`<label class="check field"><input type="checkbox" .checked=${v === true} aria-invalid=${bad} @change=${(e: Event) => set((e.target as HTMLInputElement).checked)} />${f.label}</label>${this.err(path)}`;
      case 'select':
      case 'multi_select': {
        const multi = f.type === 'multi_select';
        return html`<label class="field">${f.label}<select ?multiple=${multi} aria-invalid=${bad} aria-describedby=${described}
          @change=${(e: Event) => { const s = e.target as HTMLSelectElement; set(multi ? [...s.selectedOptions].map((o) => o.value) : s.value); }}>
          ${multi ? nothing : html`<option value="">—</option>`}
          ${(f.options ?? []).map((o) => html`<option value=${o} ?selected=${multi ? Array.isArray(v) && v.includes(o) : v === o}>${o}</option>`)}
        </select>${this.err(path)}</label>`;
      }
      case 'number':
        return this.input(`cf-${f.key}`, f.label, v === undefined ? '' : String(v), (s) => set(s.trim() === '' ? '' : Number(s)), path, 'number');
      default:
        return this.input(`cf-${f.key}`, f.label, String(v ?? ''), set, path, f.type === 'date' ? 'date' : f.type === 'url' ? 'url' : 'text');
    }
  }

  private renderDupes(dupes: ContactJson[]) {
    return html`<div class="dupes" role="alert">
      <strong>${t('add.dupes')}</strong>
      <ul>
        ${dupes.map((c) => html`<li>
          <span><span>${c.name || c.id}</span> <span class="muted">${[c.emails[0]?.value, c.phones[0]?.display].filter(Boolean).join(' · ')}</span></span>
          <button type="button" class="btn" aria-label=${t('add.openName', { name: c.name || c.id })}
            @click=${() => { this.dialog.close(); this.dispatchEvent(new CustomEvent('open-existing', { detail: { id: c.id } })); }}>${t('add.open')}</button>
        </li>`)}
      </ul>
    </div>`;
  }

  protected override render() {
    const dupes = this.dupes?.length ? this.dupes : null;
    return html`<dialog aria-labelledby="h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" novalidate @submit=${(e: Event) => { e.preventDefault(); void this.submit(); }}>
        <h2 id="h">${t('add.title')}</h2>
        <div class="names">
          ${this.input('firstName', t('add.firstName'), this.firstName, (v) => (this.firstName = v), 'firstName')}
          ${this.input('lastName', t('add.lastName'), this.lastName, (v) => (this.lastName = v), 'lastName')}
        </div>
        ${this.renderRows('emails')} ${this.renderRows('phones')}
        <div class="field"><span>${t('add.tags')}</span><dossier-tag-input .tags=${this.tags} label=${t('add.tags')}
          @tags-change=${(e: CustomEvent<{ tags: string[] }>) => (this.tags = e.detail.tags)}></dossier-tag-input>${this.err('tags')}</div>
        <label class="field">${t('add.owner')}<select aria-invalid=${this.errors.ownerId ? 'true' : 'false'} @change=${(e: Event) => (this.ownerId = (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this.ownerId}>${t('table.unassigned')}</option>
          ${this.members.map((m) => html`<option value=${m.id} ?selected=${m.id === this.ownerId}>${m.name}</option>`)}
        </select>${this.err('ownerId')}</label>
        ${this.fields.length ? html`<fieldset><legend>${t('add.custom')}</legend>${this.fields.map((f) => this.renderCustom(f))}</fieldset>` : nothing}
        ${dupes ? this.renderDupes(dupes) : nothing}
        ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
        <p class="muted" role="status">${this.busy ? t(this.busy === 'checking' ? 'add.checking' : 'add.saving') : ''}</p>
        <div class="actions">
          ${this.canImport ? html`<button type="button" class="btn first" @click=${() => { this.dialog.close(); this.dispatchEvent(new Event('add-several')); }}>${t('add.several')}</button>` : nothing}
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('action.cancel')}</button>
          ${dupes
            ? html`<button type="button" class="btn primary" ?disabled=${Boolean(this.busy)} @click=${() => void this.submit(true)}>${t('add.anyway')}</button>`
            : html`<button type="submit" class="btn primary" ?disabled=${Boolean(this.busy)}>${t('add.create')}</button>`}
        </div>
      </form>
    </dialog>`;
  }
}
define('table-add-contact', TableAddContact);
