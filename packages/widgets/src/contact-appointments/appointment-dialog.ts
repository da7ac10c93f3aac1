// The booking dialog of <contact-appointments> (a lazy chunk, loaded on first use): every field of an appointment,
// the free slots of the chosen calendar, member, date and time zone read from the server. Refusals (a slot just
// taken, a field the server rejects) show in place; everything typed stays.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { formatDateTime } from '../../../core/src/format.js';
import { getLocale, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { AppointmentJson, CalendarJson } from '../../../core/src/types.js';
import './messages.js';

interface Slot {
  startAt: number;
  endAt: number;
  memberIds: string[];
}

interface Draft {
  calendarId: string;
  title: string;
  description: string;
  /** '' : round-robin. */
  memberId: string;
  attendees: { id: string; name: string | null }[];
  timeZone: string;
  date: string;
  startAt: number | null;
  location: string;
  status: 'confirmed' | 'unconfirmed' | 'cancelled';
  type: 'meeting' | 'service';
}

const readerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
/** `YYYY-MM-DD` of an instant in a zone. */
export const dateIn = (ms: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
const zones = () => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [readerZone(), 'UTC'];
  }
};

/** Field paths of a server refusal mapped to the dialog's fields. */
const FIELD_OF: Record<string, string> = { endAt: 'startAt', attendeeIds: 'attendees' };

export class AppointmentDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(560px, 96vw);
        max-height: 94vh;
        box-sizing: border-box;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      .grid {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0 12px;
      }
      .field {
        display: grid;
        gap: 4px;
        margin-bottom: 10px;
        min-width: 0;
      }
      .wide {
        grid-column: 1 / -1;
      }
      input,
      select,
      textarea {
        min-width: 0;
        width: 100%;
        box-sizing: border-box;
      }
      textarea {
        resize: vertical;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 10px;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: 4px;
      }
      .slots {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        max-height: 9.5em;
        overflow: auto;
        padding: 2px;
      }
      .slots label {
        position: relative;
      }
      .slots input {
        position: absolute;
        opacity: 0;
        width: 1px;
        height: 1px;
      }
      .slots span {
        display: inline-block;
        padding: 4px 10px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
        font-variant-numeric: tabular-nums;
        cursor: pointer;
      }
      .slots input:checked + span {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_accent-text);
      }
      .slots input:focus-visible + span {
        outline: 2px solid var(--_focus, var(--_accent));
        outline-offset: 2px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin-bottom: 6px;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 2px 4px 2px 10px;
        border-radius: 999px;
        background: var(--_surface);
        border: 1px solid var(--_border);
      }
      .chip button,
      .found button {
        border: 0;
        background: none;
        color: inherit;
        font: inherit;
        cursor: pointer;
        min-height: 24px;
        min-width: 24px;
      }
      .found {
        list-style: none;
        margin: 4px 0 0;
        padding: 0;
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
      }
      .found button {
        width: 100%;
        text-align: start;
        padding: 4px 8px;
      }
      .found button:hover,
      .found button:focus-visible {
        background: var(--_surface);
      }
      .muted {
        color: var(--_muted);
        font-size: 0.9em;
      }
      .error {
        color: var(--_danger);
        font-size: 0.92em;
        margin: 0;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      @media (max-width: 520px) {
        .grid {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) calendars: CalendarJson[] = [];
  /** The appointment edited; null books a new one. */
  @property({ attribute: false }) appointment: AppointmentJson | null = null;

  @state() draft!: Draft;
  @state() private slots: Slot[] | null = null;
  @state() private slotState: 'idle' | 'loading' | 'error' = 'idle';
  @state() private slotError = '';
  @state() private errors: Record<string, string> = {};
  @state() private error = '';
  @state() private busy = false;
  @state() private guestQuery = '';
  @state() private found: { id: string; name: string | null }[] | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  private slotRequest = 0;
  private guestTimer?: ReturnType<typeof setTimeout>;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('appointment') || !this.draft) {
      const a = this.appointment;
      const cal = this.calendars[0];
      const zone = a?.timeZone ?? readerZone();
      this.draft = a
        ? { calendarId: a.calendar.id, title: a.title, description: a.description, memberId: a.member.id, attendees: a.attendees, timeZone: zone, date: dateIn(a.startAt, zone), startAt: a.startAt, location: a.location, status: a.status, type: a.type }
        : { calendarId: cal?.id ?? '', title: '', description: '', memberId: '', attendees: [], timeZone: zone, date: dateIn(Date.now(), zone), startAt: null, location: '', status: 'confirmed', type: 'meeting' };
      void this.loadSlots();
    }
  }

  show() {
    this.dialog.showModal();
  }

  private get calendar() {
    return this.calendars.find((c) => c.id === this.draft.calendarId);
  }

  /** Changes the draft; a change of calendar, member, zone or date reads the free times again. */
  private set(patch: Partial<Draft>) {
    this.draft = { ...this.draft, ...patch };
    const keys = Object.keys(patch);
    for (const k of keys) delete this.errors[k];
    if (keys.some((k) => ['calendarId', 'memberId', 'timeZone', 'date'].includes(k))) {
      if (!this.appointment || keys.includes('calendarId') || keys.includes('date')) this.draft = { ...this.draft, startAt: this.keeping() };
      void this.loadSlots();
    }
  }

  /** An edited appointment keeps its own time while its day and calendar are unchanged. */
  private keeping(): number | null {
    const a = this.appointment;
    const d = this.draft;
    return a && d.calendarId === a.calendar.id && d.date === dateIn(a.startAt, d.timeZone) ? a.startAt : null;
  }

  private async loadSlots() {
    const client = this.client;
    const d = this.draft;
    if (!client || !d.calendarId || !d.date) return;
    const seq = ++this.slotRequest;
    this.slotState = 'loading';
    try {
      const res = await unwrap(
        client.api.api.v1.calendars[':id'].slots.$get({
          param: { id: d.calendarId },
          query: { from: d.date, to: d.date, timeZone: d.timeZone, ...(d.memberId && { memberId: d.memberId }), ...(this.appointment && { exclude: this.appointment.id }) },
        }),
      );
      if (seq !== this.slotRequest) return;
      this.slots = res.days.flatMap((day) => day.slots);
      this.slotState = 'idle';
    } catch (err) {
      if (seq !== this.slotRequest) return;
      this.slots = [];
      this.slotState = 'error';
      this.slotError = (err as Error).message;
    }
  }

  private searchGuests(q: string) {
    this.guestQuery = q;
    clearTimeout(this.guestTimer);
    if (!q.trim()) {
      this.found = null;
      return;
    }
    this.guestTimer = setTimeout(async () => {
      const client = this.client;
      if (!client) return;
      try {
        const res = await unwrap(client.api.api.v1.contacts.$get({ query: { q: q.trim(), limit: '8' } }));
        if (this.guestQuery !== q) return;
        const taken = new Set([this.contactId, ...this.draft.attendees.map((a) => a.id)]);
        this.found = res.items.filter((c) => !taken.has(c.id)).map((c) => ({ id: c.id, name: c.name }));
      } catch (err) {
        this.errors = { ...this.errors, attendees: (err as Error).message };
      }
    }, 200);
  }

  private addGuest(g: { id: string; name: string | null }) {
    this.set({ attendees: [...this.draft.attendees, g] });
    this.guestQuery = '';
    this.found = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#appt-guest')?.focus());
  }

  private async submit() {
    const client = this.client;
    const d = this.draft;
    if (!client || this.busy) return;
    if (d.startAt === null) {
      this.errors = { ...this.errors, startAt: t('appt.f.pickSlot') };
      this.renderRoot.querySelector<HTMLElement>('.slots input, #appt-date')?.focus();
      return;
    }
    const a = this.appointment;
    const slot = this.slots?.find((s) => s.startAt === d.startAt);
    const common = { calendarId: d.calendarId, title: d.title.trim(), description: d.description.trim(), attendeeIds: d.attendees.map((g) => g.id), timeZone: d.timeZone, location: d.location.trim(), type: d.type };
    this.busy = true;
    this.error = '';
    try {
      let saved: AppointmentJson;
      if (a) {
        const moved = d.startAt !== a.startAt || d.calendarId !== a.calendar.id;
        const json = {
          ...common,
          ...(moved && slot && { startAt: slot.startAt, endAt: slot.endAt }),
          ...(d.memberId !== a.member.id && { memberId: d.memberId || null }),
          ...(d.status !== a.status && { status: d.status }),
        };
        saved = await unwrap(client.api.api.v1.contacts[':id'].appointments[':appointmentId'].$patch({ param: { id: this.contactId, appointmentId: a.id }, json }));
      } else {
        const status = d.status === 'cancelled' ? 'confirmed' : d.status;
        saved = await unwrap(client.api.api.v1.contacts[':id'].appointments.$post({ param: { id: this.contactId }, json: { ...common, startAt: d.startAt, ...(slot && { endAt: slot.endAt }), status, ...(d.memberId && { memberId: d.memberId }) } }));
      }
      this.dispatchEvent(new CustomEvent('appointment-saved', { detail: { appointment: saved, action: a ? 'updated' : 'booked' } }));
      this.dialog.close();
    } catch (err) {
      // What was typed stays; the reason shows by its field (a slot just taken: by the times, read again).
      const errors: Record<string, string> = {};
      for (const p of err instanceof DossierApiError ? err.fieldProblems : []) {
        const path = p.path.replace(/[[.].*$/, '');
        errors[FIELD_OF[path] ?? path] ??= p.message;
      }
      this.errors = errors;
      this.error = Object.keys(errors).length ? '' : t('appt.failed', { message: (err as Error).message });
      if (err instanceof DossierApiError && err.code === 'slot_taken') {
        this.draft = { ...this.draft, startAt: this.keeping() };
        await this.loadSlots();
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], .slots input, [role="alert"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderSlots() {
    const d = this.draft;
    const a = this.appointment;
    const fmt = new Intl.DateTimeFormat(getLocale(), { timeStyle: 'short', timeZone: d.timeZone });
    const kept = d.startAt !== null && a && d.startAt === a.startAt && !this.slots?.some((s) => s.startAt === a.startAt);
    const err = this.errors.startAt;
    const dateLabel = new Intl.DateTimeFormat(getLocale(), { dateStyle: 'full', timeZone: 'UTC' }).format(Date.parse(`${d.date}T00:00:00Z`) || 0);
    return html`<fieldset class="wide">
      <legend>${t('appt.f.slots', { date: dateLabel })}</legend>
      ${this.slotState === 'loading' && !this.slots ? html`<p class="muted" role="status">${t('appt.f.slotsLoading')}</p>` : nothing}
      ${this.slotState === 'error' ? html`<p class="error" role="alert">${this.slotError}</p>` : nothing}
      <div class="slots" role="radiogroup" aria-label=${t('appt.f.slot')} aria-invalid=${err ? 'true' : 'false'} aria-busy=${this.slotState === 'loading' ? 'true' : 'false'}>
        ${kept ? html`<label><input type="radio" name="slot" checked @change=${() => (this.draft = { ...d, startAt: a!.startAt })} /><span>${t('appt.f.keep', { time: fmt.format(a!.startAt) })}</span></label>` : nothing}
        ${(this.slots ?? []).map(
          (s) => html`<label><input type="radio" name="slot" .checked=${d.startAt === s.startAt} aria-label=${formatDateTime(s.startAt, d.timeZone)}
            @change=${() => ((this.draft = { ...this.draft, startAt: s.startAt }), delete this.errors.startAt, this.requestUpdate())} /><span>${fmt.format(s.startAt)}</span></label>`,
        )}
      </div>
      ${this.slotState === 'idle' && this.slots && !this.slots.length && !kept ? html`<p class="muted">${t('appt.f.noSlots')}</p>` : nothing}
      ${err ? html`<p class="error" role="alert">${err}</p>` : nothing}
    </fieldset>`;
  }

  protected override render() {
    const d = this.draft;
    const cal = this.calendar;
    const bad = (f: string) => (this.errors[f] ? 'true' : 'false');
    const fieldError = (f: string) => (this.errors[f] ? html`<p class="error" id="err-${f}">${this.errors[f]}</p>` : nothing);
    const zoneList = [...new Set([d.timeZone, cal?.timeZone ?? '', readerZone(), ...zones()].filter(Boolean))];
    return html`<dialog aria-labelledby="appt-h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <form method="dialog" novalidate @submit=${(e: Event) => (e.preventDefault(), void this.submit())}>
        <h2 id="appt-h">${t(this.appointment ? 'appt.editTitle' : 'appt.new')}</h2>
        <div class="grid">
          <label class="field wide">${t('appt.f.calendar')}
            <select id="appt-calendar" aria-invalid=${bad('calendarId')} @change=${(e: Event) => this.set({ calendarId: (e.target as HTMLSelectElement).value, memberId: '' })}>
              ${this.calendars.map((c) => html`<option value=${c.id} ?selected=${c.id === d.calendarId}>${c.name}</option>`)}
            </select>${fieldError('calendarId')}</label>
          <label class="field wide">${t('appt.f.title')}
            <input id="appt-title" maxlength="200" aria-invalid=${bad('title')} placeholder=${cal ? t('appt.f.default', { value: cal.defaultTitle }) : ''} .value=${d.title} @input=${(e: Event) => this.set({ title: (e.target as HTMLInputElement).value })} />${fieldError('title')}</label>
          <label class="field wide">${t('appt.f.description')}
            <textarea id="appt-description" rows="2" maxlength="5000" aria-invalid=${bad('description')} placeholder=${cal?.defaultDescription ? t('appt.f.default', { value: cal.defaultDescription }) : ''} .value=${d.description} @input=${(e: Event) => this.set({ description: (e.target as HTMLTextAreaElement).value })}></textarea>${fieldError('description')}</label>
          <label class="field">${t('appt.f.member')}
            <select id="appt-member" aria-invalid=${bad('memberId')} @change=${(e: Event) => this.set({ memberId: (e.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!d.memberId}>${t('appt.f.auto')}</option>
              ${(cal?.members ?? []).map((m) => html`<option value=${m.id} ?selected=${m.id === d.memberId}>${m.name}</option>`)}
            </select>${fieldError('memberId')}</label>
          <label class="field">${t('appt.f.timeZone')}
            <select id="appt-zone" aria-invalid=${bad('timeZone')} @change=${(e: Event) => this.set({ timeZone: (e.target as HTMLSelectElement).value })}>
              ${zoneList.map((z) => html`<option value=${z} ?selected=${z === d.timeZone}>${z}</option>`)}
            </select>${fieldError('timeZone')}</label>
          <label class="field">${t('appt.f.date')}
            <input id="appt-date" type="date" required .value=${d.date} @change=${(e: Event) => this.set({ date: (e.target as HTMLInputElement).value })} /></label>
          ${this.renderSlots()}
          <fieldset class="wide">
            <legend>${t('appt.f.attendees')}</legend>
            ${d.attendees.length
              ? html`<div class="chips">${d.attendees.map((g) => html`<span class="chip">${g.name}<button type="button" aria-label=${t('appt.f.removeGuest', { name: g.name ?? '' })} @click=${() => this.set({ attendees: d.attendees.filter((x) => x.id !== g.id) })}>×</button></span>`)}</div>`
              : nothing}
            <input id="appt-guest" type="search" aria-label=${t('appt.f.findGuest')} placeholder=${t('appt.f.findGuest')} aria-invalid=${bad('attendees')} .value=${this.guestQuery}
              @input=${(e: Event) => this.searchGuests((e.target as HTMLInputElement).value)}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'ArrowDown') (e.preventDefault(), this.renderRoot.querySelector<HTMLElement>('.found button')?.focus());
                if (e.key === 'Enter') (e.preventDefault(), this.found?.[0] && this.addGuest(this.found[0]));
              }} />
            ${this.found
              ? this.found.length
                ? html`<ul class="found" aria-label=${t('appt.f.attendees')}>${this.found.map((g) => html`<li><button type="button" aria-label=${t('appt.f.addGuest', { name: g.name ?? '' })} @click=${() => this.addGuest(g)}>${g.name}</button></li>`)}</ul>`
                : html`<p class="muted">${t('appt.f.noGuests')}</p>`
              : nothing}
            ${fieldError('attendees')}
          </fieldset>
          <label class="field wide">${t('appt.f.location')}
            <input id="appt-location" maxlength="500" aria-invalid=${bad('location')} placeholder=${cal?.defaultLocation ? t('appt.f.default', { value: cal.defaultLocation }) : ''} .value=${d.location} @input=${(e: Event) => this.set({ location: (e.target as HTMLInputElement).value })} />${fieldError('location')}</label>
          <label class="field">${t('appt.f.status')}
            <select id="appt-status" @change=${(e: Event) => this.set({ status: (e.target as HTMLSelectElement).value as Draft['status'] })}>
              ${(['confirmed', 'unconfirmed', ...(this.appointment?.status === 'cancelled' ? ['cancelled'] : [])] as const).map((s) => html`<option value=${s} ?selected=${s === d.status}>${t(`appt.status.${s}`)}</option>`)}
            </select></label>
          <label class="field">${t('appt.f.type')}
            <select id="appt-type" @change=${(e: Event) => this.set({ type: (e.target as HTMLSelectElement).value as Draft['type'] })}>
              ${(['meeting', 'service'] as const).map((s) => html`<option value=${s} ?selected=${s === d.type}>${t(`appt.type.${s}`)}</option>`)}
            </select></label>
        </div>
        ${this.error ? html`<p class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('appt.f.close')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t('appt.f.saving') : t(this.appointment ? 'appt.f.save' : 'appt.f.create')}</button>
        </div>
      </form>
    </dialog>`;
  }
}

define('dossier-appointment-dialog', AppointmentDialog);

declare global {
  interface HTMLElementTagNameMap {
    'dossier-appointment-dialog': AppointmentDialog;
  }
}
