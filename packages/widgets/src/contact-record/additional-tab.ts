import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { ContactJson, CustomFieldJson } from '../../../core/src/types.js';
import type { ContactRecord } from './contact-record.js';
import { textField } from './fields.js';
import { loadChunk } from '../../../core/src/chunk.js';

// This tab's own words load with it (its chunk is loaded when the tab first opens).
addMessages('en', {
  'record.noCustomFields': 'This workspace has no custom fields yet.',
});

/** A file field's upload control is a lazy chunk, loaded when the first file field renders. */
let fileField: Promise<unknown> | undefined;

/** Custom fields, each with the input its type needs. */
export function renderAdditionalTab(host: ContactRecord, c: ContactJson, fields: CustomFieldJson[]) {
  if (!fields.length) return html`<dossier-state kind="empty" heading=${t('record.noCustomFields')}></dossier-state>`;
  return html`<div class="grid two">${fields.map((f) => renderField(host, c, f))}</div>`;
}

function renderField(host: ContactRecord, c: ContactJson, f: CustomFieldJson) {
  const path = `customFields.${f.key}`;
  const saved = c.customFields[f.key];
  const patch = (value: unknown) => ({ customFields: { [f.key]: value } });
  const id = `f-${path.replace(/[^\w-]/g, '_')}`;
  const invalid = host.errors[path] ? 'true' : 'false';
  switch (f.type) {
    case 'text':
    case 'url':
      return textField(host, { path, label: f.label, saved: (saved as string) ?? '', toPatch: patch, type: f.type === 'url' ? 'url' : 'text' });
    case 'number':
    case 'date': {
      const shown = host.shown(path, saved ?? '');
      return html`<div class="field">
        <label for=${id}>${f.label}</label>
        <input
          id=${id}
          type=${f.type}
          step=${f.type === 'number' ? 'any' : ''}
          .value=${live(String(shown ?? ''))}
          ?readonly=${!host.editable}
          aria-invalid=${invalid}
          @input=${(e: InputEvent) => host.setDraft(path, (e.target as HTMLInputElement).value)}
          @change=${(e: Event) => {
            const raw = (e.target as HTMLInputElement).value;
            const value = raw === '' ? null : f.type === 'number' ? Number(raw) : raw;
            host.setDraft(path, raw);
            host.commit(path, patch(value), saved === undefined ? '' : String(saved));
          }}
        />
        ${host.renderFieldError(path)}
      </div>`;
    }
    case 'select':
      return html`<div class="field">
        <label for=${id}>${f.label}</label>
        <select id=${id} ?disabled=${!host.editable} aria-invalid=${invalid} @change=${(e: Event) => void host.save(patch((e.target as HTMLSelectElement).value || null), [path])}>
          <option value="" ?selected=${saved === undefined}>—</option>
          ${(f.options ?? []).map((o) => html`<option value=${o} ?selected=${saved === o}>${o}</option>`)}
        </select>
        ${host.renderFieldError(path)}
      </div>`;
    case 'multi_select': {
      const chosen = new Set((saved as string[] | undefined) ?? []);
      return html`<fieldset class="field options">
        <legend>${f.label}</legend>
        ${(f.options ?? []).map(
          (o) => html`<label class="check"
            ><input
              type="checkbox"
              .checked=${live(chosen.has(o))}
              ?disabled=${!host.editable}
              @change=${(e: Event) => {
                const next = new Set(chosen);
                if ((e.target as HTMLInputElement).checked) next.add(o);
                else next.delete(o);
                void host.save(patch(next.size ? (f.options ?? []).filter((x) => next.has(x)) : null), [path]);
              }}
            />${o}</label
          >`,
        )}
        ${host.renderFieldError(path)}
      </fieldset>`;
    }
    case 'file': {
      fileField ??= loadChunk(() => import('./file-field.js'));
      const ids = (saved as string[] | undefined) ?? [];
      return html`<div class="field" role="group" aria-labelledby=${id}>
        <label id=${id}>${f.label}</label>
        <record-file-field .contactId=${c.id} .key=${f.key} .label=${f.label} .ids=${ids} ?editable=${host.editable} ?upload=${host.editable && host.can('documents.upload')}
          @remove=${(e: CustomEvent<string>) => void host.save(patch(ids.filter((x) => x !== e.detail)), [path])}></record-file-field>
        ${host.renderFieldError(path)}
      </div>`;
    }
    case 'checkbox':
      return html`<div class="field">
        <label class="check"
          ><input
            type="checkbox"
            .checked=${live(saved === true)}
            ?disabled=${!host.editable}
            @change=${(e: Event) => void host.save(patch((e.target as HTMLInputElement).checked), [path])}
          />${f.label}</label
        >
        ${host.renderFieldError(path)}
      </div>`;
  }
}
