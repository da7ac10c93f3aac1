// Demo calendars and appointments: two calendars in different zones, and on the newest contacts appointments in the
// past and the coming weeks (confirmed, unconfirmed, a few cancelled; meetings and service visits; now and then a
// guest), each inside its calendar's working hours and never two at once for a member — as the API would book
// them. Each gets its "booked" (and "cancelled") audit row, so the record's Activity tells of it. Written once per
// workspace (skipped when it has calendars already).
import type { Db } from '../db/connection.js';
import type { AppointmentStatus, AppointmentType } from '../db/schema.js';
import { newId } from '../ids.js';
import { addDays, dateIn, instantOf, parseDate } from '../domain/appointments/zoned-time.js';
import { WEEKDAY_KEYS, type WorkingHours } from '../domain/appointments/slots.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const hours = (days: string[], ranges: [string, string][]): WorkingHours =>
  Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, days.includes(d) ? ranges.map(([start, end]) => ({ start, end })) : []])) as WorkingHours;

const CALENDARS = [
  { name: 'Sales consultations', time_zone: 'Europe/Berlin', slot_minutes: 30, buffer_minutes: 15, working_hours: hours(['mon', 'tue', 'wed', 'thu', 'fri'], [['09:00', '17:00']]), default_location: 'Video call (link in the invitation)', default_title: 'Sales consultation', default_description: 'A first talk about needs, team size and timeline.', type: 'meeting' as AppointmentType },
  { name: 'Service visits', time_zone: 'Europe/London', slot_minutes: 60, buffer_minutes: 30, working_hours: hours(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], [['08:00', '12:00'], ['13:00', '18:00']]), default_location: 'At the customer’s site', default_title: 'Service visit', default_description: '', type: 'service' as AppointmentType },
];
const TITLES = ['Product demo', 'Renewal review', 'Onboarding session', 'Pricing discussion', '', 'Quarterly check-in', 'Contract walkthrough', ''];
const LOCATIONS = ['', '', 'Berlin office, 3rd floor', 'Phone call', 'Café Einstein, Unter den Linden', ''];

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

export async function seedAppointments(db: Db, workspaceId: string, now: number, contacts = 40): Promise<void> {
  if (await db.selectFrom('calendars').select('id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) return;
  const members = (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute()).map((m) => m.id);
  if (!members.length) return;
  const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(contacts).execute()).map((c) => c.id);
  const rnd = random(11);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const cals = CALENDARS.map((c, i) => ({ ...c, id: newId('cal_', now - 90 * DAY + i), members: i === 0 ? members : members.slice(-2) }));
  await db
    .insertInto('calendars')
    .values(cals.map((c) => ({ id: c.id, workspace_id: workspaceId, name: c.name, time_zone: c.time_zone, slot_minutes: c.slot_minutes, buffer_minutes: c.buffer_minutes, working_hours: JSON.stringify(c.working_hours), default_location: c.default_location, default_title: c.default_title, default_description: c.default_description, rr_last_member_id: null, created_at: now - 90 * DAY, updated_at: now - 90 * DAY })))
    .execute();
  await db.insertInto('calendar_members').values(cals.flatMap((c) => c.members.map((member_id, position) => ({ calendar_id: c.id, member_id, position })))).execute();

  const busy: { member: string; start: number; end: number }[] = [];
  /** A free start in the calendar's hours, `dayOffset` days from today (its zone), for one of its members. */
  const findSlot = (cal: (typeof cals)[number], dayOffset: number) => {
    const today = parseDate(dateIn(now, cal.time_zone))!;
    for (let tries = 0; tries < 40; tries++) {
      const d = addDays(today, dayOffset + Math.floor(tries / 8));
      const ranges = cal.working_hours[WEEKDAY_KEYS[d.weekday]!];
      if (!ranges.length) continue;
      const r = pick(ranges);
      const [sh, sm] = r.start.split(':').map(Number) as [number, number];
      const [eh, em] = r.end.split(':').map(Number) as [number, number];
      const slots = Math.floor((eh * 60 + em - sh * 60 - sm) / cal.slot_minutes);
      const start = instantOf(d.year, d.month, d.day, sh * 60 + sm + Math.floor(rnd() * slots) * cal.slot_minutes, cal.time_zone);
      const end = start + cal.slot_minutes * 60_000;
      const buffer = cal.buffer_minutes * 60_000;
      const member = cal.members.find((m) => !busy.some((b) => b.member === m && start < b.end + buffer && end + buffer > b.start));
      if (member && Math.abs(start - now) > HOUR) {
        busy.push({ member, start, end });
        return { start, end, member };
      }
    }
    return null;
  };

  const appointments = [];
  const audits = [];
  for (const [i, contactId] of ids.entries()) {
    const count = i === 0 ? 3 : Math.floor(rnd() * 3);
    for (let k = 0; k < count; k++) {
      const cal = i === 0 ? cals[0]! : pick(cals);
      // The first contact: one next week, one last week, one cancelled; others spread over ±6 weeks.
      const offset = i === 0 ? [5, -6, 2][k]! : Math.floor(rnd() * 70) - 42;
      const slot = findSlot(cal, offset);
      if (!slot) continue;
      const past = slot.end < now;
      const cancelled = i === 0 ? k === 2 : rnd() < 0.12;
      const status: AppointmentStatus = cancelled ? 'cancelled' : !past && rnd() < 0.3 ? 'unconfirmed' : 'confirmed';
      const title = pick(TITLES) || cal.default_title;
      const booked = Math.min(now, slot.start) - Math.floor((1 + rnd() * 14) * DAY);
      const guest = rnd() < 0.2 ? ids[(i + 7) % ids.length] : undefined;
      const id = newId('ap_', booked);
      const by = pick(members);
      const cancelledAt = cancelled ? Math.min(now, slot.start) - Math.floor(rnd() * DAY) - HOUR : null;
      appointments.push({ id, workspace_id: workspaceId, contact_id: contactId, calendar_id: cal.id, member_id: slot.member, title, description: cal.default_description, attendee_ids: JSON.stringify(guest && guest !== contactId ? [guest] : []), time_zone: cal.time_zone, start_at: slot.start, end_at: slot.end, location: pick(LOCATIONS) || cal.default_location, status, type: cal.type, created_by: by, cancelled_at: cancelledAt, created_at: booked, updated_at: cancelledAt ?? booked });
      const context = JSON.stringify({ appointment: { id, name: title, startAt: slot.start } });
      const row = (action: string, at: number, changes: Record<string, unknown>) => ({ id: newId('ev_', at), workspace_id: workspaceId, contact_id: contactId, actor_id: by, actor_type: 'member' as const, action, changes: JSON.stringify(changes), context, at });
      audits.push(row('appointment.booked', booked, { calendarId: { before: null, after: cal.id }, memberId: { before: null, after: slot.member }, title: { before: null, after: title }, startAt: { before: null, after: slot.start }, endAt: { before: null, after: slot.end } }));
      if (cancelledAt) audits.push(row('appointment.cancelled', cancelledAt, { status: { before: 'confirmed', after: 'cancelled' } }));
      if (slot.member) await db.insertInto('booking_locks').values({ member_id: slot.member, bookings: 0 }).onConflict((oc) => oc.column('member_id').doNothing()).execute();
    }
  }
  if (appointments.length) await db.insertInto('appointments').values(appointments).execute();
  if (audits.length) await db.insertInto('audit_events').values(audits).execute();
}
