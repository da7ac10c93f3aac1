// CSV import wizard (loaded on first use): pick a file → map columns → dedupe mode → upload with
// progress → per-row report (row, field, message).
import { consume } from '@lit/context';
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { problemOf, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { dossierContext } from '../../../core/src/context.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { addMessages, plural, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { CustomFieldJson } from '../../../core/src/types.js';
import { fieldPathLabel } from './chips.js';
import type { BulkJob } from './model.js';

addMessages('en', {
  'import.title': 'Import contacts from CSV',
  'import.file': 'CSV file (first row is the header; UTF-8, or Windows-1252 from older Excel)',
  'import.map': 'Match your columns to contact fields',
  'import.column': 'Column in your file',
  'import.sample': 'First value',
  'import.target': 'Contact field',
  'import.ignore': 'Don’t import',
  'import.dedupe': 'When a row matches an existing contact (same email or phone)',
  'import.dedupe.skip': 'Skip the row',
  'import.dedupe.update': 'Update the existing contact',
  'import.dedupe.create': 'Create a new contact anyway',
  'import.start': 'Import',
  'import.back': 'Back',
  'import.progress.one': 'Importing… {count} row done, {failed} failed',
  'import.progress.other': 'Importing… {count} rows done, {failed} failed',
  'import.summary': '{created} created, {updated} updated, {skipped} skipped, {failed} failed.',
  'import.row': 'Row',
  'import.field': 'Field',
  'import.message': 'Problem',
  'import.noMapping': 'Map at least one column.',
});

const TARGETS = ['firstName', 'lastName', 'companyName', 'email', 'phone', 'tags', 'website', 'source', 'address.line1', 'address.line2', 'address.city', 'address.region', 'address.postalCode', 'address.country'];

/** Splits the first CSV line (quotes and doubled quotes handled). */
export function parseCsvLine(text: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') break;
    else cell += ch;
  }
  out.push(cell);
  return out.map((c) => c.trim());
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The start of a file as text, read the way the server reads it: UTF-8, UTF-16 with a BOM, else Windows-1252. */
export function decodeHead(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    // stream: a character cut by the end of the slice is not an error
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export class TableImportWizard extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(680px, 96vw);
      }
      h2 {
        margin: 0 0 10px;
        font-size: 1.1em;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: start;
        padding: 4px 6px;
        border-bottom: 1px solid var(--_border);
      }
      .scroll {
        max-height: 45vh;
        overflow: auto;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 12px;
      }
      progress {
        width: 100%;
      }
      .field {
        display: grid;
        gap: 4px;
        margin: 10px 0;
      }
    `,
  ];

  @consume({ context: dossierContext, subscribe: true }) @state() private dossier?: DossierClient;
  @property({ attribute: false }) fields: CustomFieldJson[] = [];
  @state() step: 'file' | 'map' | 'run' | 'done' = 'file';
  @state() headers: string[] = [];
  @state() samples: string[] = [];
  @state() mapping: Record<string, string> = {};
  @state() dedupe: 'skip' | 'update' | 'create' = 'skip';
  @state() job: BulkJob | null = null;
  @state() error = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  private file: File | null = null;

  override firstUpdated() {
    this.dialog.showModal();
  }

  private get targets(): [string, string][] {
    return [
      ...TARGETS.map((f) => {
        const k = `table.field.${f}`;
        const l = t(k) !== k ? t(k) : t(`table.col.${f}`).startsWith('table.') ? (t(`record.${f}`).startsWith('record.') ? f : t(`record.${f}`)) : t(`table.col.${f}`);
        return [f, l] as [string, string];
      }),
      // A file field holds uploaded documents, not CSV text.
      ...this.fields.filter((f) => f.type !== 'file').map((f) => [`custom.${f.key}`, f.label] as [string, string]),
    ];
  }

  /** Reads the header row and guesses a field for each column from its name. */
  async pick(file: File) {
    this.file = file;
    // Header names must match what the server decodes, or a mapped column would be ignored.
    const head = decodeHead(new Uint8Array(await file.slice(0, 65536).arrayBuffer()));
    const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/);
    this.headers = parseCsvLine(lines[0] ?? '');
    this.samples = parseCsvLine(lines[1] ?? '');
    const targets = this.targets;
    const guesses: Record<string, string> = { name: 'firstName', first: 'firstName', given: 'firstName', last: 'lastName', surname: 'lastName', family: 'lastName', company: 'companyName', mail: 'email', mobile: 'phone', tel: 'phone', label: 'tags' };
    this.mapping = Object.fromEntries(
      this.headers.map((h) => {
        const n = norm(h);
        const exact = targets.find(([f, l]) => norm(f) === n || norm(l) === n)?.[0];
        const loose = Object.entries(guesses).find(([k]) => n.includes(k))?.[1] ?? targets.find(([f]) => n.includes(norm(f)))?.[0];
        return [h, exact ?? loose ?? ''];
      }),
    );
    this.step = 'map';
  }

  private async run() {
    const client = this.dossier;
    const file = this.file;
    if (!client || !file) return;
    const mapping = Object.fromEntries(Object.entries(this.mapping).filter(([, v]) => v));
    if (!Object.keys(mapping).length) {
      this.error = t('import.noMapping');
      return;
    }
    this.error = '';
    this.step = 'run';
    this.job = null;
    let polling = true;
    const poll = async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, 500));
        try {
          const jobs = (await unwrap(client.api.api.v1['bulk-jobs'].$get())).items as unknown as BulkJob[];
          const running = jobs.find((j) => j.kind === 'import' && j.status === 'running');
          if (polling && running) this.job = running;
        } catch {
          // progress is a nicety; the final report still arrives
        }
      }
    };
    void poll();
    try {
      const url = new URL(`${client.baseUrl.replace(/\/$/, '')}/api/v1/contacts/import`, location.href);
      url.searchParams.set('mapping', JSON.stringify(mapping));
      url.searchParams.set('dedupe', this.dedupe);
      const res = await fetch(url, { method: 'POST', body: file, headers: { 'content-type': 'text/csv', authorization: `Bearer ${await client.tokens.get()}` } });
      if (!res.ok) throw await problemOf(res);
      this.job = (await res.json()) as BulkJob;
      this.step = 'done';
      this.dispatchEvent(new Event('imported'));
    } catch (err) {
      this.error = (err as Error).message;
      this.step = 'map';
    } finally {
      polling = false;
    }
  }

  private renderStep() {
    switch (this.step) {
      case 'file':
        return html`<label class="field">${t('import.file')}<input type="file" accept=".csv,text/csv" @change=${(e: Event) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) void this.pick(f); }} /></label>`;
      case 'map':
        return html`<h3>${t('import.map')}</h3>
          <div class="scroll"><table>
            <thead><tr><th scope="col">${t('import.column')}</th><th scope="col">${t('import.sample')}</th><th scope="col">${t('import.target')}</th></tr></thead>
            <tbody>${this.headers.map((h, i) => html`<tr><td>${h}</td><td>${this.samples[i] ?? ''}</td><td>
              <select aria-label="${t('import.target')}: ${h}" @change=${(e: Event) => (this.mapping = { ...this.mapping, [h]: (e.target as HTMLSelectElement).value })}>
                <option value="" ?selected=${!this.mapping[h]}>${t('import.ignore')}</option>
                ${this.targets.map(([f, l]) => html`<option value=${f} ?selected=${this.mapping[h] === f}>${l}</option>`)}
              </select></td></tr>`)}</tbody>
          </table></div>
          <label class="field">${t('import.dedupe')}
            <select @change=${(e: Event) => (this.dedupe = (e.target as HTMLSelectElement).value as 'skip')}>
              ${(['skip', 'update', 'create'] as const).map((d) => html`<option value=${d} ?selected=${this.dedupe === d}>${t(`import.dedupe.${d}`)}</option>`)}
            </select></label>`;
      case 'run':
        return html`<div role="status">${plural('import.progress', this.job?.done ?? 0, { failed: this.job?.failed ?? 0 })}</div><progress aria-label=${t('import.title')}></progress>`;
      case 'done': {
        const j = this.job!;
        const s = (j.summary ?? {}) as Record<string, number>;
        return html`<p role="status" class="summary">${t('import.summary', { created: s.created ?? 0, updated: s.updated ?? 0, skipped: s.skipped ?? 0, failed: j.failed })}</p>
          ${j.errors.length
            ? html`<div class="scroll"><table class="report">
                <thead><tr><th scope="col">${t('import.row')}</th><th scope="col">${t('import.field')}</th><th scope="col">${t('import.message')}</th></tr></thead>
                <tbody>${j.errors.map((e) => html`<tr><td>${e.row ?? ''}</td><td>${e.field ? fieldPathLabel(e.field, this.fields) : ''}</td><td>${e.message}</td></tr>`)}</tbody>
              </table></div>`
            : nothing}`;
      }
    }
  }

  protected override render() {
    return html`<dialog aria-labelledby="h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <h2 id="h">${t('import.title')}</h2>
      ${this.renderStep()}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        ${this.step === 'map' ? html`<button class="btn" @click=${() => (this.step = 'file')}>${t('import.back')}</button>` : nothing}
        <button class="btn" @click=${() => this.dialog.close()}>${this.step === 'done' ? t('action.close') : t('action.cancel')}</button>
        ${this.step === 'map' ? html`<button class="btn primary" @click=${() => this.run()}>${t('import.start')}</button>` : nothing}
      </div>
    </dialog>`;
  }
}
define('table-import-wizard', TableImportWizard);
