import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { unwrap } from '../../../core/src/api.js';
import { choose, clientFor, createContact, inProvider, tokenFor, type, until } from '../../../core/src/testing/fixtures.js';
import type { AppointmentJson, CalendarJson, ContactJson } from '../../../core/src/types.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import type { AppointmentDialog } from './appointment-dialog.js';
import './contact-appointments.js';
import type { AppointmentChangeEvent, ContactAppointments } from './contact-appointments.js';

const DAY = 86_400_000;
const $ = <T extends Element = HTMLElement>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<T>(sel)];
const titles = (el: ContactAppointments) => $$(el, '.appt .title').map((b) => b.textContent);
const allDay = [{ start: '00:00', end: '24:00' }];
/** `YYYY-MM-DD` in UTC, `n` days from now (each test books on days of its own). */
const dayAhead = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

let calendar: CalendarJson;
async function theCalendar() {
  if (calendar) return calendar;
  const owner = await tokenFor('owner');
  const agent = await tokenFor('agent');
  calendar = await unwrap(
    clientFor('owner').api.api.v1.calendars.$post({
      json: { name: `Consulting ${Date.now()}`, timeZone: 'UTC', slotMinutes: 30, workingHours: { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay }, memberIds: [owner.memberId, agent.memberId], defaultTitle: 'Consultation', defaultLocation: 'Main office' },
    }),
  );
  return calendar;
}

async function mount(contact: ContactJson, role: 'owner' | 'agent' = 'owner', theme = 'light') {
  await theCalendar();
  const el = await inProvider<ContactAppointments>(html`<contact-appointments contact-id=${contact.id} theme=${theme}></contact-appointments>`, role);
  await until(() => $(el, '.toolbar') && !$<HTMLButtonElement>(el, '.add')?.disabled, 'appointments to load');
  return el;
}

async function bookViaApi(contactId: string, startAt: number, extra: Record<string, unknown> = {}) {
  const cal = await theCalendar();
  return unwrap(clientFor('owner').api.api.v1.contacts[':id'].appointments.$post({ param: { id: contactId }, json: { calendarId: cal.id, startAt, memberId: cal.members[0]!.id, ...extra } })) as Promise<AppointmentJson>;
}

async function openDialog(el: ContactAppointments, button = '.add') {
  $(el, button)!.click();
  const dialog = await until(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the booking dialog').then(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')!);
  return dialog;
}
const slotInputs = (d: AppointmentDialog) => [...d.shadowRoot!.querySelectorAll<HTMLInputElement>('.slots input')];
async function pickDay(d: AppointmentDialog, date: string) {
  choose(d.shadowRoot!.querySelector<HTMLInputElement>('#appt-date')!, date);
  await until(() => slotInputs(d).length > 0 && d.shadowRoot!.querySelector('.slots')!.getAttribute('aria-busy') === 'false', 'the free slots');
}

describe('<contact-appointments>', function () {
  // Each test books through the real server, loads the lazy dialog and runs axe: slow on two shared cores.
  this.timeout(30_000);
  it('books in a free slot with every field (guest found by search, member, zone, location, status, type); accessible', async () => {
    const c = await createContact({ firstName: 'Bea', lastName: 'Booker' });
    await createContact({ firstName: 'Gustav', lastName: 'Guestly' });
    const el = await mount(c);
    expect($(el, '.empty')!.textContent).to.equal('No upcoming appointments.');
    await expect(el).to.be.accessible();
    const changes: AppointmentChangeEvent[] = [];
    el.addEventListener('appointment-change', (e) => changes.push(e));
    const d = await openDialog(el);
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    expect(q<HTMLInputElement>('#appt-title').placeholder).to.equal('Blank: “Consultation”');
    choose(q<HTMLSelectElement>('#appt-calendar'), calendar.id);
    choose(q<HTMLSelectElement>('#appt-zone'), 'UTC');
    choose(q<HTMLSelectElement>('#appt-member'), calendar.members[1]!.id);
    await pickDay(d, dayAhead(2));
    type(q<HTMLInputElement>('#appt-title'), 'Kick-off');
    type(q<HTMLTextAreaElement>('#appt-description'), 'Scope and timeline');
    type(q<HTMLInputElement>('#appt-location'), 'Video call');
    choose(q<HTMLSelectElement>('#appt-status'), 'unconfirmed');
    choose(q<HTMLSelectElement>('#appt-type'), 'service');
    type(q<HTMLInputElement>('#appt-guest'), 'Guestly');
    await until(() => d.shadowRoot!.querySelector('.found button'), 'the guest search');
    d.shadowRoot!.querySelector<HTMLButtonElement>('.found button')!.click();
    await until(() => d.shadowRoot!.querySelector('.chip'), 'the guest chip');
    const slot = slotInputs(d)[3]!;
    slot.click();
    await d.updateComplete;
    await expect(d).to.be.accessible();
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => titles(el).length === 1, 'the booked appointment');
    expect(titles(el)).to.deep.equal(['Kick-off']);
    const card = $(el, '.appt')!;
    expect(card.classList.contains('unconfirmed')).to.equal(true);
    expect(card.textContent).to.contain('Service').and.contain('Video call').and.contain('Gustav Guestly').and.contain('with Agent Tester').and.contain('Scope and timeline');
    expect(changes.map((e) => e.detail.action)).to.deep.equal(['booked']);
    expect(changes[0]!.detail.appointment.startAt).to.equal(Date.parse(`${dayAhead(2)}T01:30:00Z`));
    expect(el.shadowRoot!.activeElement, 'focus back on Book').to.equal($(el, '.add'));
    await expect(el).to.be.accessible();
  });

  it('edits in full, cancels after confirming (kept, marked Cancelled), and downloads the .ics', async () => {
    const c = await createContact({ firstName: 'Edda' });
    const start = Date.parse(`${dayAhead(3)}T10:00:00Z`);
    await bookViaApi(c.id, start, { title: 'First look' });
    const el = await mount(c);
    await until(() => titles(el).length === 1, 'the appointment');
    const d = await openDialog(el, '.appt .edit');
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    expect(q<HTMLInputElement>('#appt-title').value).to.equal('First look');
    await until(() => slotInputs(d).some((i) => i.checked), 'its own time selected');
    type(q<HTMLInputElement>('#appt-title'), 'Second look');
    choose(q<HTMLSelectElement>('#appt-zone'), 'UTC');
    await until(() => q('.slots').getAttribute('aria-busy') === 'false', 'slots read again');
    slotInputs(d).find((i) => i.getAttribute('aria-label')!.includes('11:00'))!.click();
    await d.updateComplete;
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => titles(el)[0] === 'Second look', 'the edit');
    expect($(el, '.appt time')!.getAttribute('datetime')).to.equal(new Date(start + 3_600_000).toISOString());

    let ics = '';
    const original = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => (void (blob as Blob).text().then((text) => (ics = text)), original.call(URL, blob));
    try {
      $(el, '.appt .ics')!.click();
      await until(() => ics, 'the .ics');
    } finally {
      URL.createObjectURL = original;
    }
    expect(ics).to.match(/^BEGIN:VCALENDAR\r\n/).and.contain('SUMMARY:Second look');

    $(el, '.appt .cancel')!.click();
    const confirm = $(el, 'dossier-confirm')!;
    await until(() => confirm.shadowRoot?.querySelector('dialog[open]'), 'the confirmation');
    expect(confirm.shadowRoot!.textContent).to.contain('Cancel this appointment?');
    [...confirm.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel appointment')!.click();
    await until(() => $(el, '.appt.cancelled'), 'cancelled');
    expect($(el, '.appt .badge.cancelled')!.textContent).to.equal('Cancelled');
    expect($(el, '.appt .cancel')).to.equal(null);
    expect(titles(el)).to.deep.equal(['Second look']);
  });

  it('shows a slot taken meanwhile in place, keeping what was typed, and offers the free times again', async () => {
    const c = await createContact({ firstName: 'Tak' });
    const el = await mount(c);
    const d = await openDialog(el);
    const q = <T extends Element = HTMLElement>(sel: string) => d.shadowRoot!.querySelector<T>(sel)!;
    choose(q<HTMLSelectElement>('#appt-zone'), 'UTC');
    choose(q<HTMLSelectElement>('#appt-member'), calendar.members[0]!.id);
    await pickDay(d, dayAhead(4));
    type(q<HTMLInputElement>('#appt-title'), 'Contested');
    const first = slotInputs(d)[0]!;
    const label = first.getAttribute('aria-label')!;
    first.click();
    // Someone else books that very time first.
    const other = await createContact({ firstName: 'Quick' });
    await bookViaApi(other.id, Date.parse(`${dayAhead(4)}T00:00:00Z`));
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => d.shadowRoot!.querySelector('.slots + p[role=alert], fieldset p.error[role=alert]'), 'the refusal');
    expect(d.shadowRoot!.querySelector('fieldset p.error')!.textContent).to.contain('already has an appointment at this time');
    expect(q<HTMLInputElement>('#appt-title').value).to.equal('Contested');
    await until(() => q('.slots').getAttribute('aria-busy') === 'false' && slotInputs(d).length > 0, 'the slots again');
    expect(slotInputs(d).map((i) => i.getAttribute('aria-label'))).not.to.include(label);
    expect(d.shadowRoot!.querySelector('dialog[open]')).not.to.equal(null);
    slotInputs(d)[0]!.click();
    q<HTMLButtonElement>('button[type=submit]').click();
    await until(() => titles(el).includes('Contested'), 'booked in the next free time');
  });

  it('is usable by keyboard: Book opens the dialog, arrows pick a time, Enter books, Escape closes', async () => {
    const c = await createContact({ firstName: 'Kay' });
    const el = await mount(c);
    $(el, '.add')!.focus();
    await sendKeys({ press: 'Enter' });
    const d = await until(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog').then(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')!);
    choose(d.shadowRoot!.querySelector<HTMLSelectElement>('#appt-zone')!, 'UTC');
    await pickDay(d, dayAhead(5));
    const inputs = slotInputs(d);
    inputs[0]!.focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'ArrowRight' });
    expect(slotInputs(d)[1]!.checked, 'the arrow moved the choice').to.equal(true);
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, 'dossier-appointment-dialog'), 'closed by Escape');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.add'));

    await sendKeys({ press: 'Enter' });
    const again = await until(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'the dialog again').then(() => $<AppointmentDialog>(el, 'dossier-appointment-dialog')!);
    choose(again.shadowRoot!.querySelector<HTMLSelectElement>('#appt-zone')!, 'UTC');
    await pickDay(again, dayAhead(5));
    slotInputs(again)[2]!.focus();
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'Enter' });
    await until(() => titles(el).length === 1, 'booked by keyboard');
    expect(titles(el)).to.deep.equal(['Consultation'], 'the calendar’s default title');
  });

  it('lists previous appointments, searches, shows ones booked elsewhere live; dark theme, narrow width, agent', async () => {
    const c = await createContact({ firstName: 'Livia' });
    await bookViaApi(c.id, Date.parse(`${dayAhead(6)}T09:00:00Z`), { title: 'Pricing talk', location: 'Berlin office' });
    await bookViaApi(c.id, Date.parse(`${dayAhead(6)}T11:00:00Z`), { title: 'Onboarding' });
    const el = await mount(c, 'agent', 'dark');
    el.style.width = '360px';
    await until(() => titles(el).length === 2, 'two upcoming');
    expect(titles(el)).to.deep.equal(['Pricing talk', 'Onboarding']);
    type($<HTMLInputElement>(el, 'input[type=search]')!, 'berlin');
    await until(() => titles(el).join() === 'Pricing talk', 'the search (location)');
    type($<HTMLInputElement>(el, 'input[type=search]')!, '');
    await until(() => titles(el).length === 2, 'search cleared');
    [...$$(el, '.switch button')].find((b) => b.textContent === 'Previous')!.click();
    await until(() => $(el, '.empty')?.textContent === 'No previous appointments.', 'none previous');
    expect($$(el, '.switch button').map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true']);
    [...$$(el, '.switch button')].find((b) => b.textContent === 'Upcoming')!.click();
    await until(() => titles(el).length === 2, 'upcoming again');
    await new Promise((r) => setTimeout(r, 300));
    await bookViaApi(c.id, Date.parse(`${dayAhead(6)}T08:00:00Z`), { title: 'Made elsewhere' });
    await until(() => titles(el)[0] === 'Made elsewhere', 'the live appointment', 8000);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 1);
    await expect(el).to.be.accessible();
  });

  it('is the record’s Appointments tab, after Notes', async () => {
    const c = await createContact({ firstName: 'Rec' });
    await theCalendar();
    const record = await inProvider<ContactRecord>(html`<contact-record style="width:1200px" contact-id=${c.id} tab="appointments"></contact-record>`);
    await until(() => record.shadowRoot!.querySelector('contact-appointments')?.shadowRoot?.querySelector('.toolbar'), 'the tab');
    const tabs = [...record.shadowRoot!.querySelectorAll('[data-strip=b] [role=tab]')].map((t) => t.textContent);
    expect(tabs.indexOf('Appointments')).to.equal(tabs.indexOf('Notes') + 1);
  });
});
