import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ContactRecord } from './contact-record.js';
import type { ContactPatch } from './patch.js';

const idOf = (path: string) => `f-${path.replace(/[^\w-]/g, '_')}`;

/**
 * A labelled input that saves on change (blur or Enter). What the user types is kept as a draft until the
 * server accepts it, so a failed save never loses it.
 */
export function textField(
  host: ContactRecord,
  opts: { path: string; label: string; saved: string | null | undefined; toPatch: (value: string | null) => ContactPatch; type?: string; autocomplete?: string },
) {
  const { path, label, saved } = opts;
  const value = host.shown(path, saved ?? '') as string;
  const error = host.errors[path];
  const id = idOf(path);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      type=${opts.type ?? 'text'}
      autocomplete=${opts.autocomplete ?? 'off'}
      .value=${live(value ?? '')}
      ?readonly=${!host.editable}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `err-${path.replace(/[^\w-]/g, '_')}` : nothing}
      @input=${(e: InputEvent) => host.setDraft(path, (e.target as HTMLInputElement).value)}
      @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      @change=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value.trim();
        host.setDraft(path, raw);
        host.commit(path, opts.toPatch(raw || null), saved ?? '');
      }}
    />
    ${host.renderFieldError(path)}
  </div>`;
}
