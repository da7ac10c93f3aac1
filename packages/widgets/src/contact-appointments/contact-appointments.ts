import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DossierEvent } from '../../../core/src/events.js';
import { formatDateTime } from '../../../core/src/format.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import type { AppointmentJson, CalendarJson, MemberJson, Session } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-confirm.js';
import type { DossierConfirm } from '../../../core/src/ui/dossier-confirm.js';
import '../../../core/src/ui/dossier-state.js';
import type { AppointmentDialog } from './appointment-dialog.js';
import { styles } from './contact-appointments.styles.js';
import './messages.js';

export type AppointmentList = 'upcoming' | 'previous';
const PAGE = '50';

/** After an appointment was booked, edited or cancelled here: `detail.contactId`, `detail.appointment`, `detail.action`. */
export class AppointmentChangeEvent extends DossierEvent<{ contactId: string; appointment: AppointmentJson; action: 'booked' | 'updated' | 'cancelled' }> {
  static readonly type = 'appointment-change';
  constructor(detail: AppointmentChangeEvent['detail']) {
    super(AppointmentChangeEvent.type, detail);
  }
}

/**
 * A contact's appointments: Upcoming and Previous lists (cancelled ones stay, marked), search, booking on a calendar
 * with every field (calendar, title, description, team member or round-robin, guests, time zone, date and a free
 * slot from the server, location, status, type), editing in full, cancelling with confirmation, and an `.ics` file of
 * each. Appointments changed anywhere else appear live.
 *
 * @element contact-appointments
 * @attr contact-id - The contact whose appointments are shown.
 * @attr list - `upcoming` (default) or `previous`.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {AppointmentJson[]} appointments - The loaded appointments (set by the element; may be set to render without a server).
 * @prop {CalendarJson[]} calendars - The workspace's calendars.
 * @prop {boolean} readonly - No changes (set for a contact in the restore bin).
 * @fires appointment-change - After a change made here: `detail.contactId`, `detail.appointment`, `detail.action` (`booked`, `updated`, `cancelled`).
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart toolbar - Upcoming / Previous, search and Book.
 * @csspart list - The list of appointments.
 * @csspart appointment - Each appointment.
 */
export class ContactAppointments extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ reflect: true }) list: AppointmentList = 'upcoming';
  @property({ attribute: false }) appointments: AppointmentJson[] = [];
  @property({ attribute: false }) calendars: CalendarJson[] = [];
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) session: Session | null = null;

  @state() private q = '';
  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private nextCursor: string | null = null;
  @state() private itemErrors: Record<string, string> = {};
  @state() private announce = '';
  /** The booking dialog is open (its chunk loads on first use). */
  @state() private editing: AppointmentJson | 'new' | null = null;
  @query('dossier-confirm') private confirm!: DossierConfirm;
  @query('dossier-appointment-dialog') private dialog?: AppointmentDialog;

  private request = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;

  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type.startsWith('appointment.')) void this.load(true);
    else if (e.type === 'live-resumed') void this.load(true);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.editing = null;
      this.itemErrors = {};
    }
    if ((changed.has('contactId') || changed.has('list') || changed.has('dossier' as keyof ContactAppointments)) && this.dossier && this.contactId) void this.load();
  }

  private get canWrite() {
    return !this.readonly && (!this.session || this.session.permissions.includes('contacts.edit'));
  }

  private query(cursor?: string) {
    return { when: this.list, ...(this.q.trim() && { q: this.q.trim() }), limit: PAGE, ...(cursor && { cursor }) } as const;
  }

  private async load(quiet = false) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    if (!quiet) this.status = 'loading';
    try {
      const [page, session, calendars, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].appointments.$get({ param: { id }, query: this.query() })),
        client.session(),
        unwrap(client.api.api.v1.calendars.$get()),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      Object.assign(this, { session, calendars: calendars.items, readonly: contact.deletedAt !== null, appointments: page.items, nextCursor: page.nextCursor, status: 'idle', loadError: '' });
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async loadMore() {
    const client = this.dossier;
    if (!client || !this.nextCursor) return;
    const seq = this.request;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].appointments.$get({ param: { id: this.contactId }, query: this.query(this.nextCursor) }));
      if (seq !== this.request) return;
      const known = new Set(this.appointments.map((x) => x.id));
      this.appointments = [...this.appointments, ...page.items.filter((x) => !known.has(x.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async open(appointment?: AppointmentJson) {
    await import('./appointment-dialog.js');
    this.editing = appointment ?? 'new';
    await this.updateComplete;
    this.dialog?.show();
  }

  private closed(opener: string) {
    this.editing = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(opener)?.focus());
  }

  private async saved(e: CustomEvent<{ appointment: AppointmentJson; action: 'booked' | 'updated' }>) {
    this.dispatchEvent(new AppointmentChangeEvent({ contactId: this.contactId, ...e.detail }));
    this.announce = t('appt.saved');
    await this.load(true);
  }

  private async cancel(a: AppointmentJson) {
    const client = this.dossier;
    if (!client) return;
    this.confirm.heading = t('appt.cancel.title');
    this.confirm.message = t('appt.cancel.message', { title: a.title, when: formatDateTime(a.startAt) });
    this.confirm.confirmLabel = t('appt.cancel.confirm');
    if (!(await this.confirm.ask())) return;
    this.itemErrors = { ...this.itemErrors, [a.id]: '' };
    try {
      const updated = await unwrap(client.api.api.v1.contacts[':id'].appointments[':appointmentId'].$patch({ param: { id: this.contactId, appointmentId: a.id }, json: { status: 'cancelled' } }));
      this.appointments = this.appointments.map((x) => (x.id === a.id ? updated : x));
      this.announce = t('appt.cancelled');
      this.dispatchEvent(new AppointmentChangeEvent({ contactId: this.contactId, appointment: updated, action: 'cancelled' }));
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-appt="${a.id}"] .edit`)?.focus());
    } catch (err) {
      this.itemErrors = { ...this.itemErrors, [a.id]: t('appt.failed', { message: (err as Error).message }) };
      this.reportError(err as Error, 'update');
    }
  }

  /** Fetches the .ics with the session's token and hands it to the browser as a download. */
  private async download(a: AppointmentJson) {
    const client = this.dossier;
    if (!client) return;
    try {
      const res = await client.api.api.v1.contacts[':id'].appointments[':file{[A-Za-z0-9_-]+\\.ics}'].$get({ param: { id: this.contactId, file: `${a.id}.ics` } });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? String(res.status));
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'appointment.ics';
      const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/calendar' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      this.itemErrors = { ...this.itemErrors, [a.id]: (err as Error).message };
      this.reportError(err as Error, 'load');
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.session) return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    if (this.status === 'loading' && !this.appointments.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error' && !this.appointments.length) return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    const q = this.q.trim();
    return html`
      ${this.readonly ? html`<p class="readonly" role="status">${t('appt.readOnly')}</p>` : nothing}
      <div class="toolbar" part="toolbar">
        <div class="switch" role="group" aria-label=${t('appt.lists')}>
          ${(['upcoming', 'previous'] as const).map((l) => html`<button class="btn" aria-pressed=${this.list === l ? 'true' : 'false'} @click=${() => (this.list = l)}>${t(`appt.${l}`)}</button>`)}
        </div>
        <input type="search" aria-label=${t('appt.search')} placeholder=${t('appt.search')} .value=${this.q}
          @input=${(e: Event) => {
            this.q = (e.target as HTMLInputElement).value;
            clearTimeout(this.searchTimer);
            this.searchTimer = setTimeout(() => void this.load(true), 250);
          }} />
        ${this.canWrite ? html`<button class="btn primary add" ?disabled=${!this.calendars.length} @click=${() => void this.open()}>+ ${t('appt.book')}</button>` : nothing}
      </div>
      ${this.canWrite && !this.calendars.length && this.status === 'idle' ? html`<p class="empty">${t('appt.noCalendars')}</p>` : nothing}
      ${this.status === 'error' ? html`<p class="field-error" role="alert">${this.loadError}</p>` : nothing}
      ${this.appointments.length
        ? html`<ul class="list" part="list" aria-label=${plural('appt.count', this.appointments.length)}>${this.appointments.map((a) => this.renderItem(a))}</ul>`
        : html`<p class="empty">${q ? t('appt.none', { q }) : t(`appt.empty.${this.list}`)}</p>`}
      ${this.nextCursor ? html`<button class="btn more" @click=${() => this.loadMore()}>${t('appt.more')}</button>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
      ${this.editing
        ? html`<dossier-appointment-dialog .client=${this.dossier} .contactId=${this.contactId} .calendars=${this.calendars} .appointment=${this.editing === 'new' ? null : this.editing}
            @appointment-saved=${(e: CustomEvent) => void this.saved(e)}
            @close=${() => this.closed(this.editing === 'new' || !this.editing ? '.add' : `[data-appt="${this.editing.id}"] .edit`)}></dossier-appointment-dialog>`
        : nothing}
      <dossier-confirm></dossier-confirm>
    `;
  }

  private renderItem(a: AppointmentJson) {
    const error = this.itemErrors[a.id];
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const when = formatDateTime(a.startAt);
    const minutes = Math.round((a.endAt - a.startAt) / 60_000);
    return html`<li part="appointment" class="appt ${a.status}" data-appt=${a.id}>
      <div class="head">
        <span class="title" dir="auto">${a.title}</span>
        <span class="badge ${a.status}">${t(`appt.status.${a.status}`)}</span>
        <span class="badge">${t(`appt.type.${a.type}`)}</span>
      </div>
      <div class="meta">
        <time class="when" datetime=${new Date(a.startAt).toISOString()}>${when}</time>
        <span>· ${new Intl.NumberFormat(getLocale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes)}</span>
        ${a.timeZone !== local ? html`<span>· ${t('appt.inZone', { time: formatDateTime(a.startAt, a.timeZone), zone: a.timeZone })}</span>` : nothing}
      </div>
      <div class="meta">
        <span>${t('appt.with', { name: a.member.name ?? '' })}</span>
        <span>· ${a.calendar.name}</span>
        ${a.location ? html`<span>· ${a.location}</span>` : nothing}
      </div>
      ${a.attendees.length ? html`<div class="meta">${t('appt.guests', { names: a.attendees.map((g) => g.name ?? '').join(', ') })}</div>` : nothing}
      ${a.description ? html`<p class="description">${a.description}</p>` : nothing}
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
      <div class="actions">
        ${this.canWrite ? html`<button class="link edit" aria-label=${t('appt.actionsFor', { action: t('appt.edit'), title: a.title })} @click=${() => void this.open(a)}>${t('appt.edit')}</button>` : nothing}
        ${this.canWrite && a.status !== 'cancelled' ? html`<button class="link danger cancel" aria-label=${t('appt.actionsFor', { action: t('appt.cancel'), title: a.title })} @click=${() => void this.cancel(a)}>${t('appt.cancel')}</button>` : nothing}
        <button class="link ics" aria-label=${t('appt.actionsFor', { action: t('appt.ics'), title: a.title })} @click=${() => void this.download(a)}>${t('appt.ics')}</button>
      </div>
    </li>`;
  }
}

define('contact-appointments', ContactAppointments);

declare global {
  interface HTMLElementTagNameMap {
    'contact-appointments': ContactAppointments;
  }
  interface HTMLElementEventMap {
    'appointment-change': AppointmentChangeEvent;
  }
}
