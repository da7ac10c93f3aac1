// The filter drawer (loaded on first open): AND-combined conditions that apply as they change.
import { css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DossierClient } from '../../../core/src/client.js';
import { dossierContext } from '../../../core/src/context.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, panelStyles, tokens } from '../../../core/src/theme.js';
import type { CustomFieldJson, MemberJson, TeamJson } from '../../../core/src/types.js';
import { fieldLabel, filterSchemaOf, opLabel, shareLinksOf, valueLabel, type ShareLinkOption } from './chips.js';
import { catalogue, complete, defaultValue, type FilterField, type ServerField } from './filter-fields.js';
import type { Condition } from './model.js';

const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Kinds whose values are one workspace's own (member, team, share link ids): left out of the organization view. */
const ORG_OMITS = ['member', 'team', 'viewed'];

export class TableFilterDrawer extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    panelStyles,
    css`
      .panel {
        --_panel-width: min(420px, 100%);
        display: flex;
        flex-direction: column;
        gap: 10px;
      }
      header,
      footer {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      h2 {
        margin: 0;
        font-size: 1.05em;
        flex: 1;
      }
      h2:focus {
        outline: none;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        padding: 8px;
        display: grid;
        gap: 6px;
        margin: 0;
      }
      .line {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        align-items: center;
      }
      .line > * {
        flex: 1 1 120px;
      }
      .line > .fixed {
        flex: none;
      }
      .grow {
        flex: 1;
      }
      footer {
        margin-top: auto;
      }
    `,
  ];

  @property({ attribute: false }) filter: Condition[] = [];
  @property({ attribute: false }) fields: CustomFieldJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ attribute: false }) teams: TeamJson[] = [];
  /** The organization view: only fields that mean the same in every workspace (no members, teams or share links). */
  @property({ type: Boolean }) organization = false;
  @property({ type: Boolean }) canSave = false;
  @consume({ context: dossierContext, subscribe: true }) @state() private dossier?: DossierClient;
  @state() private rows: Condition[] = [];
  @state() private links: ShareLinkOption[] = [];
  /** The server's catalogue once loaded; until then (or if it fails) the drawer offers its own and the server still checks. */
  @state() private server?: ServerField[];
  /** A stable key per row, so removing one row never shows its neighbour in its inputs. */
  private keys: number[] = [];
  private nextKey = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private sent: Condition[] | null = null;

  protected override willUpdate(changed: Map<string, unknown>) {
    // Chips removed outside the drawer: follow them (but keep our own incomplete drafts otherwise).
    if (changed.has('filter') && this.filter !== this.sent) {
      this.rows = this.filter.map((c) => ({ ...c }));
      this.keys = this.rows.map(() => this.nextKey++);
    }
  }

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    const client = this.dossier;
    if (!client || this.organization) return;
    // Without the list the id fields still work (typed ids); a failure only costs the pickers.
    shareLinksOf(client).then((links) => (this.links = links)).catch(() => undefined);
    filterSchemaOf(client).then((server) => (this.server = server)).catch(() => undefined);
  }

  /** Picker options for the viewed-link and viewed-document fields. */
  private viewedOptions(field: string): [string, string][] {
    if (field === 'shareLink') return this.links.map((l) => [l.id, l.name]);
    const docs = new Map<string, string>();
    for (const l of this.links) if (!docs.has(l.documentId)) docs.set(l.documentId, l.name);
    return [...docs];
  }

  private get catalogue(): FilterField[] {
    const all = catalogue(this.fields, (f) => fieldLabel(f, this.fields), this.server);
    return this.organization ? all.filter((f) => !ORG_OMITS.includes(f.kind)) : all;
  }

  private emit(rows: Condition[], wait = 0) {
    this.rows = rows;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const valid = rows.filter((r) => complete(r.value, r.op)).map((r) => (r.value === undefined ? { field: r.field, op: r.op } : r));
      this.sent = valid;
      this.dispatchEvent(new CustomEvent('filter-change', { detail: valid }));
    }, wait);
  }

  private update1(i: number, patch: Partial<Condition>, wait = 0) {
    this.emit(this.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)), wait);
  }

  /** A field of the catalogue; one it does not offer (a saved filter the server refuses) keeps its own operator. */
  private kindOf(field: string): FilterField {
    return this.catalogue.find((f) => f.field === field) ?? { field, label: fieldLabel(field, this.fields), kind: 'text', ops: [] };
  }

  private setField(i: number, field: string) {
    const f = this.kindOf(field);
    const op = f.ops[0]!;
    this.update1(i, { field, op, value: defaultValue(f.kind, op, f.options) });
  }

  private setOp(i: number, op: string) {
    const f = this.kindOf(this.rows[i]!.field);
    this.update1(i, { op, value: defaultValue(f.kind, op, f.options) });
  }

  private add() {
    this.keys = [...this.keys, this.nextKey++];
    this.emit([...this.rows, { field: 'name', op: 'contains', value: '' }]);
    void this.updateComplete.then(() => [...this.renderRoot.querySelectorAll<HTMLElement>('fieldset select')].at(-2)?.focus());
  }

  private renderValue(c: Condition, i: number) {
    const f = this.kindOf(c.field);
    const v = c.value;
    const label = `${f.label} ${t('filter.value')}`;
    const onText = (e: Event) => this.update1(i, { value: (e.target as HTMLInputElement).value }, 300);
    if (c.op === 'is_empty' || c.op === 'is_not_empty') return nothing;
    if (c.op === 'in_last_days') return html`<input type="number" min="1" aria-label=${label} .value=${String(v ?? '')} @input=${(e: Event) => this.update1(i, { value: Number((e.target as HTMLInputElement).value) || '' }, 300)} />`;
    if (c.op === 'older_than' || c.op === 'newer_than') {
      const d = (v ?? { amount: 1, unit: 'days' }) as { amount: number; unit: string };
      return html`<input type="number" min="1" aria-label=${label} .value=${String(d.amount)} @input=${(e: Event) => this.update1(i, { value: { ...d, amount: Number((e.target as HTMLInputElement).value) || 1 } }, 300)} />
        <select aria-label=${t('filter.value')} @change=${(e: Event) => this.update1(i, { value: { ...d, unit: (e.target as HTMLSelectElement).value } })}>
          ${['minutes', 'hours', 'days'].map((u) => html`<option value=${u} ?selected=${u === d.unit}>${t(`unit.${u}`)}</option>`)}
        </select>`;
    }
    const type = f.kind === 'date' ? 'date' : f.kind === 'number' ? 'number' : 'text';
    const cast = (s: string) => (type === 'number' ? (s === '' ? '' : Number(s)) : s);
    if (c.op === 'between') {
      const [a, b] = (v as unknown[]) ?? ['', ''];
      // Each end keeps the other as it is now (not as it was drawn), however fast both change.
      const set = (end: 0 | 1, e: Event) => {
        const pair = [...((this.rows[i]?.value as unknown[]) ?? ['', ''])];
        pair[end] = cast((e.target as HTMLInputElement).value);
        this.update1(i, { value: pair }, 300);
      };
      return html`<input type=${type} aria-label=${label} .value=${String(a ?? '')} @input=${(e: Event) => set(0, e)} />
        <input type=${type} aria-label="${label} ${t('filter.to')}" .value=${String(b ?? '')} @input=${(e: Event) => set(1, e)} />`;
    }
    const select = (options: [string, string][], multi = false) => html`<select aria-label=${label}
      @change=${(e: Event) => { const x = (e.target as HTMLSelectElement).value; this.update1(i, { value: multi ? [x] : x === 'true' ? true : x === 'false' ? false : x }); }}>
      ${multi && !(v as unknown[])?.length ? html`<option value="" selected disabled>—</option>` : nothing}
      ${options.map(([value, text]) => html`<option value=${value} ?selected=${(multi ? (v as unknown[])?.[0] : String(v)) === value}>${text}</option>`)}</select>`;
    const many = (options: [string, string][]) => {
      // A value kept from the previous operator may be a single one (or a number, e.g. "in the last N days").
      const chosen = new Set(Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);
      return html`<select multiple aria-label=${label} size=${Math.min(6, options.length)}
        @change=${(e: Event) => this.update1(i, { value: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) })}>
        ${options.map(([id, text]) => html`<option value=${id} ?selected=${chosen.has(id)}>${text}</option>`)}</select>`;
    };
    const labelled = (values: string[]) => values.map((x) => [x, valueLabel(c.field, f.kind, x, { fields: this.fields, members: this.members, teams: this.teams })] as [string, string]);
    switch (f.kind) {
      case 'member':
        return select(labelled(['unassigned', ...this.members.map((m) => m.id)]), true);
      case 'team':
        return many(labelled(['mine', ...this.teams.map((x) => x.id)]));
      case 'channel':
        return select(labelled(f.options ?? ['email', 'phone']));
      case 'choice':
        return c.op === 'is_any' || c.op === 'is_none' ? many(labelled(f.options ?? [])) : select(labelled(f.options ?? []));
      case 'dnd':
        return select(labelled(['any', 'sms', 'call', 'email', 'facebook', 'gmb', 'whatsapp']));
      case 'checkbox':
        return select([['true', t('value.yes')], ['false', t('value.no')]]);
      case 'viewer':
        return select(['any', 'email', 'whatsapp'].map((x) => [x, t(`filter.viewer.${x}`)] as [string, string]));
      case 'viewed': {
        const options = this.viewedOptions(c.field);
        if (!options.length) break;
        return many(options);
      }
      case 'select':
        if (c.op === 'is_any') return many((f.options ?? []).map((o) => [o, o]));
        return html`<select aria-label=${label} @change=${(e: Event) => this.update1(i, { value: (e.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${!v}>—</option>${(f.options ?? []).map((o) => html`<option ?selected=${o === v}>${o}</option>`)}</select>`;
        break;
    }
    if (Array.isArray(v) || c.op === 'is_any' || f.kind === 'tags' || f.kind === 'multi') {
      return html`<input aria-label=${label} title=${t('filter.commaHint')} placeholder=${t('filter.commaHint')} .value=${list(v)} @input=${(e: Event) => this.update1(i, { value: split((e.target as HTMLInputElement).value) }, 300)} />`;
    }
    return html`<input type=${type} aria-label=${label} .value=${String(v ?? '')} @input=${(e: Event) => this.update1(i, { value: cast((e.target as HTMLInputElement).value) }, 300)} />`;
  }

  protected override render() {
    const cat = this.catalogue;
    return html`<div class="panel" role="dialog" aria-modal="false" aria-labelledby="title" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.close()}>
      <header><h2 id="title" tabindex="-1">${t('filter.title')}</h2><button class="btn" @click=${() => this.close()}>${t('action.close')}</button></header>
      ${this.rows.length ? nothing : html`<p>${t('filter.none')}</p>`}
      ${repeat(this.rows, (_, i) => this.keys[i], (c, i) => {
        const f = this.kindOf(c.field);
        // A condition the catalogue does not offer (an old saved filter) still shows as it is, so it can be changed.
        const fields = cat.some((x) => x.field === c.field) ? cat : [f, ...cat];
        const ops = f.ops.includes(c.op) ? f.ops : [c.op, ...f.ops];
        // Keyed by field (and operator): a control whose options change is drawn afresh, never showing a stale choice.
        return html`<fieldset>
        <legend class="visually-hidden">${f.label}</legend>
        <div class="line">
          <select aria-label=${t('filter.field')} @change=${(e: Event) => this.setField(i, (e.target as HTMLSelectElement).value)}>
            ${fields.map((x) => html`<option value=${x.field} ?selected=${x.field === c.field}>${x.label}</option>`)}
          </select>
          ${keyed(c.field, html`<select aria-label=${t('filter.op')} @change=${(e: Event) => this.setOp(i, (e.target as HTMLSelectElement).value)}>
            ${ops.map((op) => html`<option value=${op} ?selected=${op === c.op}>${opLabel(f.kind, op)}</option>`)}
          </select>`)}
        </div>
        <div class="line">${keyed(`${c.field} ${c.op}`, this.renderValue(c, i))}<button class="icon-btn fixed" aria-label=${t('filter.remove')} @click=${() => this.removeRow(i)}>×</button></div>
      </fieldset>`;
      })}
      <button class="btn" @click=${() => this.add()}>+ ${t('filter.add')}</button>
      <footer>
        ${this.canSave ? html`<button class="btn" @click=${() => this.dispatchEvent(new Event('save-view'))}>${t('filter.saveView')}</button>` : nothing}
        <span class="grow"></span>
        <button class="btn" @click=${() => { this.keys = []; this.emit([]); }}>${t('filter.clear')}</button>
      </footer>
    </div>`;
  }

  private removeRow(i: number) {
    this.keys = this.keys.filter((_, j) => j !== i);
    this.emit(this.rows.filter((_, j) => j !== i));
  }

  private close() {
    this.dispatchEvent(new Event('close'));
  }
}
define('table-filter-drawer', TableFilterDrawer);
