import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
// The provider is not in this element's own module (the script-tag bundle registers it).
import '../packages/core/src/dossier-provider.js';
import '../packages/widgets/src/contact-appointments/contact-appointments.js';
import type { ContactAppointments } from '../packages/widgets/src/contact-appointments/contact-appointments.js';
import type { AppointmentJson, CalendarJson } from '../packages/core/src/types.js';
import { contact, members, NOW, session } from './support/sample-data.js';
import { fail, NEVER, storyFetch, type Reply } from './support/story-server.js';

const HOUR = 3_600_000;
const day = [{ start: '09:00', end: '17:00' }];
const calendars: CalendarJson[] = [
  { id: 'cal_sales', name: 'Sales consultations', timeZone: 'Europe/Berlin', slotMinutes: 30, bufferMinutes: 15, workingHours: { sun: [], mon: day, tue: day, wed: day, thu: day, fri: day, sat: [] }, defaultLocation: 'Video call (link in the invitation)', defaultTitle: 'Sales consultation', defaultDescription: 'A first talk about needs and timeline.', members: members.map((m) => ({ id: m.id, name: m.name })), roundRobin: { lastMemberId: 'mb_max' }, createdAt: NOW - 900 * HOUR, updatedAt: NOW - 900 * HOUR },
  { id: 'cal_service', name: 'Service visits', timeZone: 'Europe/London', slotMinutes: 60, bufferMinutes: 30, workingHours: { sun: [], mon: day, tue: day, wed: day, thu: day, fri: day, sat: day }, defaultLocation: 'At the customer’s site', defaultTitle: 'Service visit', defaultDescription: '', members: [{ id: 'mb_ada', name: 'Ada Agent' }], roundRobin: { lastMemberId: null }, createdAt: NOW - 900 * HOUR, updatedAt: NOW - 900 * HOUR },
];
const appt = (id: string, title: string, startAt: number, extra: Partial<AppointmentJson> = {}): AppointmentJson => ({
  id, contactId: contact.id, contactName: contact.name, calendar: { id: 'cal_sales', name: 'Sales consultations' }, title, description: '', member: { id: 'mb_ada', name: 'Ada Agent' }, attendees: [],
  timeZone: 'Europe/Berlin', startAt, endAt: startAt + HOUR / 2, location: 'Video call (link in the invitation)', status: 'confirmed', type: 'meeting', createdBy: 'mb_max', cancelledAt: null, createdAt: NOW - 72 * HOUR, updatedAt: NOW - 72 * HOUR, ...extra,
});
const upcoming: AppointmentJson[] = [
  appt('ap_1', 'Product demo', NOW + 20 * HOUR, { description: 'Show reporting and the mobile app.\nBring the pricing sheet.', attendees: [{ id: 'ct_2', name: 'Grace Hopper' }] }),
  appt('ap_2', 'Renewal review', NOW + 50 * HOUR, { status: 'unconfirmed', member: { id: 'mb_max', name: 'Max Manager' }, timeZone: 'America/New_York' }),
  appt('ap_3', 'Service visit', NOW + 98 * HOUR, { type: 'service', calendar: { id: 'cal_service', name: 'Service visits' }, location: 'Unit 4, Harbour Road, Southampton', endAt: NOW + 99 * HOUR, timeZone: 'Europe/London' }),
  appt('ap_4', 'Pricing discussion', NOW + 120 * HOUR, { status: 'cancelled', cancelledAt: NOW - 2 * HOUR }),
];
const previous: AppointmentJson[] = [
  appt('ap_5', 'Sales consultation', NOW - 100 * HOUR, { description: 'A first talk about needs and timeline.' }),
  appt('ap_6', 'Onboarding session', NOW - 300 * HOUR, { status: 'cancelled', cancelledAt: NOW - 320 * HOUR }),
];

function api(opts: { role?: 'owner' | 'manager' | 'agent'; listReply?: Reply; saveReply?: Reply; slotsReply?: Reply; deleted?: boolean; items?: AppointmentJson[]; calendars?: CalendarJson[] } = {}) {
  let current = structuredClone(opts.items ?? [...upcoming, ...previous]);
  return storyFetch({
    'GET /api/v1/me': session(opts.role),
    'GET /api/v1/members': { items: members },
    'GET /api/v1/calendars': { items: opts.calendars ?? calendars },
    'GET /api/v1/contacts': { items: [{ ...contact, id: 'ct_2', name: 'Grace Hopper' }, { ...contact, id: 'ct_3', name: 'Grace Kelly' }], nextCursor: null },
    'GET /api/v1/contacts/:id': { ...contact, deletedAt: opts.deleted ? NOW - 24 * HOUR : null },
    'GET /api/v1/calendars/:id/slots': (_p, _b, url) => {
      if (opts.slotsReply) return opts.slotsReply;
      const date = url.searchParams.get('from')!;
      const start = Date.parse(`${date}T08:00:00Z`);
      const slots = Array.from({ length: 16 }, (_, i) => ({ startAt: start + i * HOUR / 2, endAt: start + (i + 1) * HOUR / 2, memberIds: ['mb_ada'] })).filter((_, i) => i % 5 !== 2);
      return { calendarId: 'cal_sales', timeZone: url.searchParams.get('timeZone'), slotMinutes: 30, days: [{ date, slots }] };
    },
    'GET /api/v1/contacts/:id/appointments': (_p, _b, url) => {
      if (opts.listReply) return opts.listReply;
      const when = url.searchParams.get('when');
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const items = current.filter((a) => (when === 'previous' ? a.endAt < NOW : a.endAt >= NOW)).filter((a) => `${a.title} ${a.location}`.toLowerCase().includes(q));
      return { items, nextCursor: null };
    },
    'POST /api/v1/contacts/:id/appointments': (_p, body) => {
      if (opts.saveReply) return opts.saveReply;
      const b = body as { startAt: number; title: string };
      const created = appt(`ap_${current.length + 10}`, b.title || 'Sales consultation', b.startAt);
      current = [created, ...current];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/contacts/:id/appointments/:appointmentId': (p, body) => {
      if (opts.saveReply) return opts.saveReply;
      current = current.map((a) => (a.id === p.appointmentId ? { ...a, ...(body as object), ...((body as { status?: string }).status === 'cancelled' && { cancelledAt: NOW }) } : a));
      return current.find((a) => a.id === p.appointmentId);
    },
  });
}

const render = (fetch: typeof globalThis.fetch, attrs: { theme?: string; width?: string; list?: string } = {}) => html`
  <div style="max-width:${attrs.width ?? '620px'}">
    <dossier-provider theme=${attrs.theme ?? 'light'} .getToken=${async () => 'story-token'} .fetch=${fetch}>
      <contact-appointments contact-id="ct_ada" list=${attrs.list ?? 'upcoming'}></contact-appointments>
    </dossier-provider>
  </div>
`;

const until = async (check: () => unknown) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
};
const element = async (canvas: HTMLElement) => {
  const el = canvas.querySelector<ContactAppointments>('contact-appointments')!;
  await until(() => el.shadowRoot?.querySelector('.add:not([disabled])'));
  return el;
};
/** Opens the booking (or, with `edit`, the first appointment's edit) dialog; `then` puts it in a state. */
const dialog = (edit = false, then: (d: HTMLElement) => Promise<void> | void = () => undefined) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  const el = await element(canvasElement);
  el.shadowRoot!.querySelector<HTMLButtonElement>(edit ? '.appt .edit' : '.add')!.click();
  await until(() => el.shadowRoot!.querySelector('dossier-appointment-dialog')?.shadowRoot?.querySelector('.slots input'));
  await then(el.shadowRoot!.querySelector<HTMLElement>('dossier-appointment-dialog')!);
};

const meta: Meta = {
  title: 'Widgets/contact-appointments',
  component: 'contact-appointments',
  parameters: { docs: { description: { component: 'A contact’s appointments: Upcoming / Previous, search, booking with the server’s free slots, edit, cancel, .ics. Stories answer from memory.' } } },
};
export default meta;
type Story = StoryObj;

export const Upcoming: Story = { render: () => render(api()) };
export const Previous: Story = { render: () => render(api(), { list: 'previous' }) };
export const Loading: Story = { render: () => render(api({ listReply: NEVER })) };
export const Empty: Story = { render: () => render(api({ items: [] })) };
export const NoCalendars: Story = { render: () => render(api({ items: [], calendars: [] })) };
export const ServerError: Story = { render: () => render(api({ listReply: fail(500, 'internal', 'Something went wrong on the server. It has been logged.') })) };
export const DeletedContact: Story = { render: () => render(api({ deleted: true })) };
export const DarkTheme: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render(api(), { theme: 'dark' })}</div>`,
  parameters: { backgrounds: { default: 'dark' } },
};
export const NarrowWidth: Story = { render: () => render(api(), { width: '320px' }) };
export const BookingDialog: Story = { render: () => render(api()), play: dialog() };
export const BookingDialogDark: Story = {
  render: () => html`<div style="background:#0f1014;padding:16px">${render(api(), { theme: 'dark' })}</div>`,
  play: dialog(),
  parameters: { backgrounds: { default: 'dark' } },
};
export const SlotsLoading: Story = { render: () => render(api({ slotsReply: NEVER })), play: async ({ canvasElement }) => {
  const el = await element(canvasElement);
  el.shadowRoot!.querySelector<HTMLButtonElement>('.add')!.click();
} };
export const NoFreeSlots: Story = { render: () => render(api({ slotsReply: { calendarId: 'cal_sales', timeZone: 'UTC', slotMinutes: 30, days: [] } })), play: async ({ canvasElement }) => {
  const el = await element(canvasElement);
  el.shadowRoot!.querySelector<HTMLButtonElement>('.add')!.click();
} };
export const SlotTaken: Story = {
  render: () => render(api({ saveReply: { status: 409, body: { error: { code: 'slot_taken', message: 'Ada Agent already has an appointment at this time. Pick another time or team member.', details: { field: 'startAt', memberId: 'mb_ada' } } } } })),
  play: dialog(false, async (d) => {
    const input = d.shadowRoot!.querySelector<HTMLInputElement>('#appt-title')!;
    input.value = 'Contract walkthrough';
    input.dispatchEvent(new InputEvent('input'));
    d.shadowRoot!.querySelector<HTMLInputElement>('.slots input')!.click();
    d.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  }),
  parameters: { docs: { description: { story: 'Someone took the time first: the refusal shows by the times (read again); what was typed stays.' } } },
};
export const EditDialog: Story = { render: () => render(api()), play: dialog(true) };
export const CancelConfirmation: Story = {
  render: () => render(api()),
  play: async ({ canvasElement }) => {
    const el = await element(canvasElement);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.appt .cancel')!.click();
  },
};
export const AgentView: Story = { render: () => render(api({ role: 'agent' })) };
