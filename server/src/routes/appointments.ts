import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Appointments, MAX_ATTENDEES, MAX_DESCRIPTION, MAX_LOCATION, MAX_SLOT_DAYS, MAX_TITLE, type AppointmentCursor } from '../domain/appointments/appointments.js';
import { Calendars } from '../domain/appointments/calendars.js';
import { WEEKDAY_KEYS } from '../domain/appointments/slots.js';
import { isTimeZone, parseDate } from '../domain/appointments/zoned-time.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds, respondsRaw } from '../http/route-meta.js';
import { appointmentJson, appointmentPage, calendarJson, calendarList, slotsJson } from '../openapi/schemas/appointment.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const appointmentParam = z.object({ id: z.string().min(1).max(64), appointmentId: z.string().min(1).max(64) });
const icsParam = z.object({ id: z.string().min(1).max(64), file: z.string().min(5).max(70) });
const timeZone = z.string().min(1).max(64).refine(isTimeZone, 'Unknown time zone; use an IANA name such as Europe/Berlin.');
// Milliseconds since the epoch (UTC); between 2000 and 2200.
const instant = z.number().int().min(946_684_800_000).max(7_258_118_400_000);
const id = z.string().min(1).max(64);
const date = z.string().refine((v) => parseDate(v) !== null, 'A date as YYYY-MM-DD.');
const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'A time as HH:MM (00:00–24:00).');
const workingHours = z.object(Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, z.array(z.object({ start: hhmm, end: hhmm }).strict()).max(6)])) as Record<(typeof WEEKDAY_KEYS)[number], z.ZodArray<z.ZodObject<{ start: typeof hhmm; end: typeof hhmm }>>>).strict();

const calendarFields = {
  name: z.string().trim().min(1, 'Give the calendar a name.').max(100),
  timeZone,
  slotMinutes: z.number().int().min(5).max(480),
  bufferMinutes: z.number().int().min(0).max(240),
  workingHours,
  memberIds: z.array(id).max(100).refine((ids) => new Set(ids).size === ids.length, 'A member is listed twice.'),
  defaultLocation: z.string().trim().max(MAX_LOCATION),
  defaultTitle: z.string().trim().max(MAX_TITLE),
  defaultDescription: z.string().trim().max(MAX_DESCRIPTION),
};
const calendarCreate = z.object({ ...calendarFields, bufferMinutes: calendarFields.bufferMinutes.optional(), defaultLocation: calendarFields.defaultLocation.optional(), defaultTitle: calendarFields.defaultTitle.optional(), defaultDescription: calendarFields.defaultDescription.optional() }).strict();
const calendarPatch = z
  .object(Object.fromEntries(Object.entries(calendarFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof calendarFields]: z.ZodOptional<(typeof calendarFields)[K]> })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');

const slotsQuery = z
  .object({
    from: date,
    to: date,
    timeZone: timeZone.optional(),
    memberId: id.optional(),
    /** The appointment being moved (its own time counts as free). */
    exclude: id.optional(),
  })
  .strict()
  .refine((v) => v.to >= v.from, { message: '`to` is before `from`.', path: ['to'] })
  .refine((v) => (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 < MAX_SLOT_DAYS, { message: `At most ${MAX_SLOT_DAYS} days at once.`, path: ['to'] });

const appointmentFields = {
  calendarId: id,
  title: z.string().trim().max(MAX_TITLE),
  description: z.string().trim().max(MAX_DESCRIPTION),
  memberId: id.nullable(),
  attendeeIds: z.array(id).max(MAX_ATTENDEES),
  timeZone,
  startAt: instant,
  endAt: instant,
  location: z.string().trim().max(MAX_LOCATION),
  type: z.enum(['meeting', 'service']),
};
const bookBody = z
  .object({
    ...Object.fromEntries(Object.entries(appointmentFields).map(([k, v]) => [k, k === 'calendarId' || k === 'startAt' ? v : v.optional()])),
    status: z.enum(['confirmed', 'unconfirmed']).optional(),
  } as { [K in keyof typeof appointmentFields]: K extends 'calendarId' | 'startAt' ? (typeof appointmentFields)[K] : z.ZodOptional<(typeof appointmentFields)[K]> } & { status: z.ZodOptional<z.ZodEnum<{ confirmed: 'confirmed'; unconfirmed: 'unconfirmed' }>> })
  .strict();
const patchBody = z
  .object({
    ...Object.fromEntries(Object.entries(appointmentFields).map(([k, v]) => [k, v.optional()])),
    status: z.enum(['confirmed', 'unconfirmed', 'cancelled']).optional(),
  } as { [K in keyof typeof appointmentFields]: z.ZodOptional<(typeof appointmentFields)[K]> } & { status: z.ZodOptional<z.ZodEnum<{ confirmed: 'confirmed'; unconfirmed: 'unconfirmed'; cancelled: 'cancelled' }>> })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
const listQuery = z
  .object({
    when: z.enum(['upcoming', 'previous', 'all']).default('upcoming'),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const isCursor = (v: unknown): v is AppointmentCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/**
 * /api/v1/calendars — every caller reads calendars and their free slots; the secret key and owners/managers
 * (`calendars.manage`) create, change and delete them.
 */
export function calendarRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const calendars = new Calendars(db);
  const appointments = new Appointments(db, deps.events);
  return new Hono<Env>()
    .get('/', responds(200, calendarList), async (c) => c.json({ items: await calendars.list(c.var.caller) }))
    .post('/', responds(201, calendarJson, 'The calendar created.'), fails(422, 'invalid_field'), validate('json', calendarCreate), async (c) => {
      assertCan(c.var.caller, 'calendars.manage');
      return c.json(await calendars.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:id', responds(200, calendarJson), validate('param', idParam), async (c) => c.json(await calendars.get(c.var.caller, c.req.valid('param').id)))
    .patch('/:id', responds(200, calendarJson, 'The calendar as it is now.'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', calendarPatch), async (c) => {
      assertCan(c.var.caller, 'calendars.manage');
      return c.json(await calendars.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, calendarJson, 'The calendar as it was.'), fails(409, 'calendar_in_use'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'calendars.manage');
      return c.json(await calendars.remove(c.var.caller, c.req.valid('param').id));
    })
    .get('/:id/slots', responds(200, slotsJson), fails(422, 'invalid_field'), validate('param', idParam), validate('query', slotsQuery), async (c) => {
      const q = c.req.valid('query');
      const { calendar, zone, days } = await appointments.slots(c.var.caller, c.req.valid('param').id, { from: q.from, to: q.to, zone: q.timeZone, memberId: q.memberId, except: q.exclude, now: clock.now() });
      return c.json({ calendarId: calendar.id, timeZone: zone, slotMinutes: calendar.slotMinutes, days });
    });
}

/** /api/v1/contacts/:id/appointments — a contact's appointments: list, book, edit, cancel, export as .ics. */
export function contactAppointmentRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const appointments = new Appointments(db, deps.events);
  return new Hono<Env>()
    .get('/:id/appointments', responds(200, appointmentPage), validate('param', idParam), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      const page = await appointments.list(c.var.caller, c.req.valid('param').id, { when: o.when, q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isCursor), now: clock.now() });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .post('/:id/appointments', responds(201, appointmentJson, 'The appointment booked.'), fails(409, 'contact_deleted', 'slot_taken'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', bookBody), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await appointments.book(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    // `GET …/appointments/<id>.ics`: the appointment as an iCalendar file (before /:appointmentId, which it would match).
    .get('/:id/appointments/:file{[A-Za-z0-9_-]+\\.ics}', respondsRaw(200, 'text/calendar', 'The appointment as an iCalendar file.'), validate('param', icsParam), async (c) => {
      const { id, file } = c.req.valid('param');
      const ics = await appointments.ics(c.var.caller, id, file.slice(0, -'.ics'.length), clock.now());
      return c.body(ics.body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="${ics.name}"` });
    })
    .get('/:id/appointments/:appointmentId', responds(200, appointmentJson), validate('param', appointmentParam), async (c) => {
      const { id, appointmentId } = c.req.valid('param');
      return c.json(await appointments.get(c.var.caller, id, appointmentId));
    })
    .patch('/:id/appointments/:appointmentId', responds(200, appointmentJson, 'The appointment as it is now.'), fails(409, 'contact_deleted', 'slot_taken'), fails(422, 'invalid_field'), validate('param', appointmentParam), validate('json', patchBody), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id, appointmentId } = c.req.valid('param');
      return c.json(await appointments.update(c.var.caller, id, appointmentId, c.req.valid('json'), clock.now()));
    });
}
