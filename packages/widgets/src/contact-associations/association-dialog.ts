// The Add dialog of <contact-associations> (a lazy chunk, loaded on first use). "Create new": a contact, company or
// custom object record is created, then linked with the chosen association type (an opportunity: Continue hands over
// to the New opportunity dialog, which makes this contact its primary); "Add existing": a search across the kind's
// records, then the link. Refusals show by the field they concern (or above the buttons); everything typed
// stays; a record created whose link then failed is not created twice on retry.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { AssociationJson, AssociationTypeJson, ObjectTypeJson, Permission, TargetKindName, TargetSummary } from '../../../core/src/types.js';
import './messages.js';
import { targetDetail, typeLabel } from './target-text.js';

/** A kind the dialog offers: `contact`, `company`, `opportunity` or `object:<typeId>`. */
type KindKey = string;
interface FieldSpec {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice' | 'email';
  options?: string[];
  required?: boolean;
}

const kindOf = (key: KindKey): TargetKindName => (key.startsWith('object:') ? 'object' : (key as TargetKindName));

export class AssociationDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(480px, 94vw);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      form {
        display: grid;
        gap: 10px;
      }
      label {
        display: grid;
        gap: 4px;
        font-weight: 600;
        font-size: 0.92em;
      }
      label.check {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      input,
      select {
        font-weight: 400;
        min-width: 0;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .results {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 2px;
        max-height: 220px;
        overflow: auto;
      }
      .results button {
        width: 100%;
        display: grid;
        text-align: start;
        border: 1px solid transparent;
        background: none;
        padding: 6px 8px;
        border-radius: var(--_radius-sm);
        font: inherit;
        color: inherit;
        cursor: pointer;
      }
      .results button:hover,
      .results button:focus {
        background: var(--_surface);
        border-color: var(--_border);
      }
      .results small,
      .hint,
      .muted {
        color: var(--_muted);
        font-weight: 400;
      }
      .chosen {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
      .error {
        color: var(--_danger);
        font-weight: 400;
        margin: 0;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 6px;
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) mode: 'new' | 'existing' = 'existing';
  @property({ attribute: false }) types: AssociationTypeJson[] = [];
  @property({ attribute: false }) objectTypes: ObjectTypeJson[] = [];
  @property({ attribute: false }) permissions: Permission[] = [];

  @state() private kind: KindKey = '';
  /** `<typeId>` or `<typeId>:reverse`. */
  @state() private typeChoice = '';
  @state() private q = '';
  @state() private results: TargetSummary[] | null = null;
  @state() private searchError = '';
  @state() private target: TargetSummary | null = null;
  @state() private values: Record<string, string | boolean> = {};
  @state() private errors: Record<string, string> = {};
  @state() private formError = '';
  @state() private busy = false;
  /** Made by an earlier try whose link failed: the retry only links it. */
  private created: { kind: KindKey; target: TargetSummary } | null = null;
  private saved = false;
  private searchSeq = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;
  @query('dialog') private dialog!: HTMLDialogElement;

  show() {
    this.dialog.showModal();
    if (this.mode === 'existing') void this.search();
  }

  /** The kinds offered: those with an association type (opportunities have built-in ones). */
  private get kinds(): { key: KindKey; label: string }[] {
    const out: { key: KindKey; label: string }[] = [];
    for (const kind of ['contact', 'company', 'opportunity'] as const) {
      if (kind === 'contact' && this.mode === 'new' && !this.permissions.includes('contacts.create')) continue;
      if (this.types.some((x) => x.targetKind === kind)) out.push({ key: kind, label: t(`assoc.kind.${kind}`) });
    }
    for (const o of this.objectTypes) if (this.types.some((x) => x.targetKind === 'object' && x.objectTypeId === o.id)) out.push({ key: `object:${o.id}`, label: o.name });
    return out;
  }

  /** The association types of the chosen kind, each direction of a two-sided contact type as its own choice. */
  private get typeChoices(): { value: string; label: string }[] {
    const kind = kindOf(this.kind);
    const objectTypeId = this.kind.startsWith('object:') ? this.kind.slice(7) : null;
    return this.types
      .filter((x) => x.targetKind === kind && (kind !== 'object' || x.objectTypeId === objectTypeId))
      .flatMap((x) => [{ value: x.id, label: typeLabel(x.id, x.label) }, ...(kind === 'contact' && x.reverseLabel ? [{ value: `${x.id}:reverse`, label: x.reverseLabel }] : [])]);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.kind || !this.kinds.some((k) => k.key === this.kind)) this.kind = this.kinds[0]?.key ?? '';
    if (!this.typeChoices.some((c) => c.value === this.typeChoice)) this.typeChoice = this.typeChoices[0]?.value ?? '';
    if (changed.has('mode')) this.errors = {};
  }

  private setKind(kind: KindKey) {
    this.kind = kind;
    this.target = null;
    this.errors = {};
    this.formError = '';
    if (this.mode === 'existing') void this.search();
  }

  private onSearch(value: string) {
    this.q = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.search(), 250);
  }

  private async search() {
    const client = this.client;
    if (!client || !this.kind) return;
    const seq = ++this.searchSeq;
    const kind = kindOf(this.kind);
    try {
      const res = await unwrap(client.api.api.v1['association-targets'].$get({ query: { kind, q: this.q.trim(), limit: '20', ...(kind === 'object' && { objectTypeId: this.kind.slice(7) }) } }));
      if (seq !== this.searchSeq) return;
      // The contact itself is never its own association.
      this.results = res.items.filter((r) => !(r.kind === 'contact' && r.id === this.contactId));
      this.searchError = '';
    } catch (err) {
      if (seq !== this.searchSeq) return;
      this.searchError = (err as Error).message;
    }
  }

  /** The form's fields for Create new. */
  private get fields(): FieldSpec[] {
    const kind = kindOf(this.kind);
    if (kind === 'contact') return [{ key: 'firstName', label: t('assoc.firstName'), type: 'text' }, { key: 'lastName', label: t('assoc.lastName'), type: 'text' }, { key: 'email', label: t('assoc.email'), type: 'email' }];
    if (kind === 'company') return [{ key: 'name', label: t('assoc.name'), type: 'text', required: true }, { key: 'domain', label: t('assoc.domain'), type: 'text' }, { key: 'phone', label: t('assoc.phone'), type: 'text' }, { key: 'address', label: t('assoc.address'), type: 'text' }];
    const type = this.objectTypes.find((o) => `object:${o.id}` === this.kind);
    return [{ key: 'name', label: t('assoc.name'), type: 'text', required: true }, ...(type?.fields ?? []).map((f) => ({ key: `fields.${f.key}`, label: f.label, type: f.type, options: f.options, required: f.required }))];
  }

  private set(key: string, value: string | boolean) {
    this.values = { ...this.values, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
    this.created = null; // what was made no longer matches the form
  }

  /** Creates the record of the form; answers it as a target. */
  private async createRecord(client: DossierClient): Promise<TargetSummary> {
    const v = this.values;
    const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
    const kind = kindOf(this.kind);
    const v1 = client.api.api.v1;
    if (kind === 'contact') {
      const body = { ...(text('firstName') && { firstName: text('firstName') }), ...(text('lastName') && { lastName: text('lastName') }), ...(text('email') && { emails: [{ value: text('email') }] }) };
      const c = await unwrap(v1.contacts.$post({ json: body as never }) as never) as { id: string; name: string | null };
      return { kind, id: c.id, name: c.name ?? text('email'), detail: text('email') || null, objectTypeId: null };
    }
    if (kind === 'company') {
      const c = await unwrap(v1.companies.$post({ json: { name: text('name'), domain: text('domain') || null, phone: text('phone') || null, address: text('address') || null } }));
      return { kind, id: c.id, name: c.name, detail: c.domain, objectTypeId: null };
    }
    const typeId = this.kind.slice(7);
    const fields: Record<string, string | number | boolean> = {};
    for (const f of this.fields.filter((x) => x.key.startsWith('fields.'))) {
      const raw = v[f.key];
      if (raw === undefined || raw === '') continue;
      fields[f.key.slice(7)] = f.type === 'number' ? Number(raw) : raw;
    }
    const r = await unwrap(v1['object-types'][':typeId'].records.$post({ param: { typeId }, json: { name: text('name'), fields } }));
    return { kind, id: r.id, name: r.name, detail: null, objectTypeId: r.typeId };
  }

  /** A server refusal: by the field it names when the form shows it, else above the buttons. */
  private showError(err: unknown, stage: 'create' | 'link') {
    const e = err as DossierApiError;
    const raw = (e.details as { field?: string } | undefined)?.field;
    const field = stage === 'link' ? ({ typeId: 'type', reverse: 'type', targetId: this.mode === 'existing' ? 'target' : '' } as Record<string, string>)[raw ?? ''] : raw === 'emails[0].value' || raw === 'emails' ? 'email' : raw;
    const message = stage === 'link' && this.created ? t('assoc.createdOnly', { name: this.created.target.name }) + ' ' + e.message : e.message;
    if (field && (field === 'type' || field === 'target' || this.fields.some((f) => f.key === field))) this.errors = { ...this.errors, [field]: message };
    else this.formError = t('assoc.failed', { message });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true], .form-error')?.focus());
  }

  private async submit(e: Event) {
    e.preventDefault();
    const client = this.client;
    if (!client || this.busy) return;
    this.formError = '';
    if (this.newOpportunity) {
      // Its own dialog creates it, linked with this contact as the primary.
      this.saved = true;
      this.dispatchEvent(new Event('dossier-association-new-opportunity'));
      this.dialog.close();
      return;
    }
    const errors: Record<string, string> = {};
    if (!this.typeChoice) errors.type = t('assoc.required', { field: t('assoc.type') });
    if (this.mode === 'existing' && !this.target) errors.target = t('assoc.chooseTarget');
    if (this.mode === 'new') for (const f of this.fields) if (f.required && !String(this.values[f.key] ?? '').trim()) errors[f.key] = t('assoc.required', { field: f.label });
    this.errors = errors;
    if (Object.keys(errors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
      return;
    }
    this.busy = true;
    let stage: 'create' | 'link' = 'create';
    try {
      let target = this.target;
      if (this.mode === 'new') {
        if (this.created?.kind !== this.kind) this.created = { kind: this.kind, target: await this.createRecord(client) };
        target = this.created.target;
      }
      stage = 'link';
      const [typeId, reverse] = this.typeChoice.split(':');
      const association = (await unwrap(client.api.api.v1.contacts[':id'].associations.$post({ param: { id: this.contactId }, json: { typeId: typeId!, targetId: target!.id, ...(reverse && { reverse: true }) } }))) as AssociationJson;
      this.created = null;
      // Added, then closed: the list puts focus on the new card, not on + Add (the close event says nothing then).
      this.saved = true;
      this.dispatchEvent(new CustomEvent('dossier-association-added', { detail: { association } }));
      this.dialog.close();
    } catch (err) {
      this.showError(err, stage);
    } finally {
      this.busy = false;
    }
  }

  /** Create new with kind opportunity: the New opportunity dialog does it. */
  private get newOpportunity() {
    return this.mode === 'new' && this.kind === 'opportunity';
  }

  private onResultKey(e: KeyboardEvent) {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('.results button')];
    const i = buttons.indexOf(this.renderRoot.querySelector(':focus') as HTMLElement);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    if (next < 0) return this.renderRoot.querySelector<HTMLElement>('input[type=search]')?.focus();
    buttons[Math.min(next, buttons.length - 1)]?.focus();
  }

  private choose(r: TargetSummary) {
    this.target = r;
    this.errors = { ...this.errors, target: '' };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.change')?.focus());
  }

  protected override render() {
    const heading = t(this.mode === 'new' ? 'assoc.dialog.new' : 'assoc.dialog.existing');
    const err = (key: string) => (this.errors[key] ? html`<p class="error" id="err-${key}">${this.errors[key]}</p>` : nothing);
    return html`<dialog aria-labelledby="assoc-h" @close=${() => this.saved || this.dispatchEvent(new Event('dossier-dialog-closed'))}>
      <h2 id="assoc-h">${heading}</h2>
      <form novalidate @submit=${(e: Event) => this.submit(e)}>
        <label>${t('assoc.kind')}
          <select .value=${this.kind} @change=${(e: Event) => this.setKind((e.target as HTMLSelectElement).value)}>
            ${this.kinds.map((k) => html`<option value=${k.key} ?selected=${k.key === this.kind}>${k.label}</option>`)}
          </select>
        </label>
        ${this.newOpportunity ? html`<p class="muted next">${t('assoc.opportunityNext')}</p>` : this.mode === 'existing' ? this.renderSearch() : this.fields.map((f) => this.renderField(f))}
        ${this.newOpportunity
          ? nothing
          : html`<label>${t('assoc.type')}
          <select class="type" aria-invalid=${this.errors.type ? 'true' : 'false'} aria-describedby=${this.errors.type ? 'err-type' : nothing}
            @change=${(e: Event) => ((this.typeChoice = (e.target as HTMLSelectElement).value), (this.errors = { ...this.errors, type: '' }))}>
            ${this.typeChoices.map((c) => html`<option value=${c.value} ?selected=${c.value === this.typeChoice}>${c.label}</option>`)}
          </select>
          ${err('type')}
        </label>`}
        ${this.formError ? html`<p class="error form-error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('assoc.cancel')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t('assoc.saving') : this.newOpportunity ? t('assoc.continue') : t('assoc.save')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private renderSearch() {
    if (this.target) {
      return html`<div class="chosen" role="group" aria-label=${t('assoc.chosen', { name: this.target.name })}>
        <span>${t('assoc.chosen', { name: this.target.name })}</span>
        <button type="button" class="btn change" @click=${() => ((this.target = null), void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('input[type=search]')?.focus()))}>${t('assoc.change')}</button>
      </div>`;
    }
    return html`<label>${t('assoc.search')}
        <input type="search" autocomplete="off" .value=${this.q} aria-invalid=${this.errors.target ? 'true' : 'false'} aria-describedby="search-hint${this.errors.target ? ' err-target' : ''}"
          @input=${(e: Event) => this.onSearch((e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              this.renderRoot.querySelector<HTMLElement>('.results button')?.focus();
            } else if (e.key === 'Enter' && this.results?.[0]) {
              e.preventDefault();
              this.choose(this.results[0]);
            }
          }} />
        <span class="hint" id="search-hint">${t('assoc.searchHint')}</span>
        ${this.errors.target ? html`<p class="error" id="err-target">${this.errors.target}</p>` : nothing}
      </label>
      ${this.searchError ? html`<p class="error" role="alert">${this.searchError}</p>` : nothing}
      ${this.results && !this.results.length ? html`<p class="muted">${t('assoc.noResults', { q: this.q.trim() })}</p>` : nothing}
      ${this.results?.length
        ? html`<ul class="results" aria-label=${t('assoc.results')} @keydown=${(e: KeyboardEvent) => this.onResultKey(e)}>
            ${this.results.map((r) => {
              const detail = targetDetail(r);
              return html`<li><button type="button" data-id=${r.id} @click=${() => this.choose(r)}>${r.name}${detail ? html`<small>${detail}</small>` : nothing}</button></li>`;
            })}
          </ul>`
        : nothing}`;
  }

  private renderField(f: FieldSpec) {
    const value = this.values[f.key];
    const invalid = this.errors[f.key] ? 'true' : 'false';
    const described = this.errors[f.key] ? `err-${f.key.replace('.', '-')}` : nothing;
    const error = this.errors[f.key] ? html`<p class="error" id="err-${f.key.replace('.', '-')}">${this.errors[f.key]}</p>` : nothing;
    const onInput = (e: Event) => this.set(f.key, (e.target as HTMLInputElement).value);
    if (f.type === 'boolean') {
      return html`<label class="check"><input type="checkbox" data-field=${f.key} .checked=${value === true} @change=${(e: Event) => this.set(f.key, (e.target as HTMLInputElement).checked)} />${f.label}</label>${error}`;
    }
    if (f.type === 'choice') {
      return html`<label>${f.label}
        <select data-field=${f.key} aria-invalid=${invalid} aria-describedby=${described} @change=${onInput}>
          <option value="" ?selected=${!value}>—</option>
          ${f.options?.map((o) => html`<option value=${o} ?selected=${value === o}>${o}</option>`)}
        </select>${error}</label>`;
    }
    const type = f.type === 'email' ? 'email' : f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text';
    return html`<label><span>${f.label}${f.required ? html` <span aria-hidden="true">*</span>` : nothing}</span>
      <input type=${type} data-field=${f.key} dir=${f.type === 'email' || f.key === 'domain' || f.key === 'phone' ? 'ltr' : nothing} ?required=${f.required}
        .value=${typeof value === 'string' ? value : ''} aria-invalid=${invalid} aria-describedby=${described} @input=${onInput} />${error}</label>`;
  }
}

define('dossier-association-dialog', AssociationDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-association-dialog': AssociationDialog;
  }
}
