import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactRecord, RowKind } from './contact-record.js';
import { textField } from './fields.js';
import type { EntryRow } from './patch.js';
import '../contact-workflows/enrolled-workflows.js';

// Only this tab (a lazy chunk) shows these: they load with it rather than with the record.
addMessages('en', {
  'record.firstName': 'First name',
  'record.lastName': 'Last name',
  'record.emails': 'Emails',
  'record.phones': 'Phones',
  'record.email': 'Email {n}',
  'record.phone': 'Phone {n}',
  'record.emailLabel': 'Label for email {n}',
  'record.phoneLabel': 'Label for phone {n}',
  'record.primary': 'Primary',
  'record.makePrimary': 'Make email {n} primary',
  'record.makePrimaryPhone': 'Make phone {n} primary',
  'record.removeEmail': 'Remove email {n}',
  'record.removePhone': 'Remove phone {n}',
  'record.addEmail': 'Add email',
  'record.addPhone': 'Add phone',
  'record.noLabel': 'No label',
  'record.label.home': 'Home',
  'record.label.landline': 'Landline',
  'record.label.mobile': 'Mobile',
  'record.label.work': 'Work',
  'record.maxReached': 'A contact can have at most 11.',
  'record.handles': 'Social handles',
});

const PHONE_LABELS = ['mobile', 'work', 'home', 'landline'] as const;
const MAX_ROWS = 11;

/** Name, emails and phones (add, remove, label, set primary), then the contact's open opportunities. */
export function renderContactTab(host: ContactRecord, c: ContactJson) {
  return html`
    <div class="grid two">
      ${textField(host, { path: 'firstName', label: t('record.firstName'), saved: c.firstName, toPatch: (v) => ({ firstName: v }), autocomplete: 'off' })}
      ${textField(host, { path: 'lastName', label: t('record.lastName'), saved: c.lastName, toPatch: (v) => ({ lastName: v }) })}
    </div>
    ${renderRows(host, 'emails')} ${renderRows(host, 'phones')}
    ${host.lazyPanel('active-opportunities', () => import('../contact-opportunities/active-opportunities.js'), () => html`<dossier-active-opportunities contact-id=${c.id}></dossier-active-opportunities>`)}
    <dossier-enrolled-workflows contact-id=${c.id}></dossier-enrolled-workflows>
    ${renderHandles(c)}
  `;
}

/** Instagram / Facebook handles the contact wrote from (read-only: messages add them); the channel is a brand name. */
function renderHandles(c: ContactJson) {
  if (!c.handles.length) return nothing;
  return html`<section class="rows handles" aria-labelledby="handles-h">
    <h3 id="handles-h">${t('record.handles')}</h3>
    <ul>
      ${c.handles.map((h) => html`<li>@${h.handle} <span class="muted channel">· ${h.channel}</span></li>`)}
    </ul>
  </section>`;
}

function renderRows(host: ContactRecord, kind: RowKind) {
  const rows = host.rowsOf(kind);
  const email = kind === 'emails';
  const editable = host.editable;
  const update = (i: number, change: Partial<EntryRow>, commit: boolean) => {
    const next = rows.map((r, k) => (k === i ? { ...r, ...change } : change.primary ? { ...r, primary: false } : r));
    if (commit) host.commitRows(kind, next);
    else host.editRows(kind, next);
  };
  const add = async () => {
    host.editRows(kind, [...rows, { value: '', label: null, primary: rows.length === 0 }]);
    await host.updateComplete;
    host.renderRoot.querySelector<HTMLInputElement>(`#${kind}-${rows.length}`)?.focus();
  };
  const usedLabels = new Set(rows.map((r) => r.label).filter(Boolean));
  return html`<fieldset class="rows">
    <legend>${t(email ? 'record.emails' : 'record.phones')}</legend>
    <ul>
      ${rows.map((row, i) => {
        const n = i + 1;
        const path = `${kind}[${i}].value`;
        const labelPath = `${kind}[${i}].label`;
        const error = host.errors[path] ?? host.errors[labelPath];
        return html`<li class="row">
          <input
            type="radio"
            name="${kind}-primary"
            .checked=${live(row.primary)}
            ?disabled=${!editable}
            aria-label=${t(email ? 'record.makePrimary' : 'record.makePrimaryPhone', { n })}
            title=${t('record.primary')}
            @change=${() => update(i, { primary: true }, true)}
          />
          <input
            id="${kind}-${i}"
            class="value"
            type=${email ? 'email' : 'tel'}
            dir="ltr"
            aria-label=${t(email ? 'record.email' : 'record.phone', { n })}
            .value=${live(row.display ?? row.value)}
            ?readonly=${!editable}
            aria-invalid=${host.errors[path] ? 'true' : 'false'}
            @input=${(e: InputEvent) => update(i, { value: (e.target as HTMLInputElement).value, display: undefined }, false)}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
            @change=${(e: Event) => update(i, { value: (e.target as HTMLInputElement).value, display: undefined }, true)}
          />
          ${email
            ? html`<input
                class="label-input"
                aria-label=${t('record.emailLabel', { n })}
                placeholder=${t('record.noLabel')}
                .value=${live(row.label ?? '')}
                ?readonly=${!editable}
                @change=${(e: Event) => update(i, { label: (e.target as HTMLInputElement).value.trim() || null }, true)}
              />`
            : html`<select
                aria-label=${t('record.phoneLabel', { n })}
                ?disabled=${!editable}
                aria-invalid=${host.errors[labelPath] ? 'true' : 'false'}
                @change=${(e: Event) => update(i, { label: (e.target as HTMLSelectElement).value || null }, true)}
              >
                <option value="" ?selected=${!row.label}>${t('record.noLabel')}</option>
                ${PHONE_LABELS.map(
                  (l) => html`<option value=${l} ?selected=${row.label === l} ?disabled=${row.label !== l && usedLabels.has(l)}>${t(`record.label.${l}`)}</option>`,
                )}
              </select>`}
          ${row.primary ? html`<span class="badge">${t('record.primary')}</span>` : nothing}
          ${editable
            ? html`<button
                class="icon-btn"
                aria-label=${t(email ? 'record.removeEmail' : 'record.removePhone', { n })}
                @click=${() => {
                  const next = rows.filter((_, k) => k !== i);
                  if (row.primary && next[0]) next[0] = { ...next[0], primary: true };
                  host.commitRows(kind, next);
                }}
              >×</button>`
            : nothing}
          ${error ? html`<div class="row-error">${host.renderFieldError(host.errors[path] ? path : labelPath)}</div>` : nothing}
        </li>`;
      })}
    </ul>
    ${host.renderFieldError(kind)}
    ${editable
      ? html`<button class="btn" ?disabled=${rows.length >= MAX_ROWS} title=${rows.length >= MAX_ROWS ? t('record.maxReached') : ''} @click=${add}>
          + ${t(email ? 'record.addEmail' : 'record.addPhone')}
        </button>`
      : nothing}
  </fieldset>`;
}
