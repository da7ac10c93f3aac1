// Response schemas of the calendar and appointment routes, tied to the domain types by sameShape.
import { z } from 'zod';
import type { AppointmentJson } from '../../domain/appointments/appointments.js';
import type { CalendarJson } from '../../domain/appointments/calendars.js';
import { WEEKDAY_KEYS, type SlotDay, type WorkingHours } from '../../domain/appointments/slots.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { cursorPage } from './common.js';

const who = z.object({ id: z.string(), name: z.string().nullable() }).strict();
const interval = z.object({ start: z.string(), end: z.string() }).strict();
const workingHoursJson = z.object(Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, z.array(interval)])) as Record<keyof WorkingHours, z.ZodArray<typeof interval>>).strict();
sameShape<SameShape<z.output<typeof workingHoursJson>, WorkingHours>>();

export const calendarJson = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    slotMinutes: z.number().int(),
    bufferMinutes: z.number().int(),
    workingHours: workingHoursJson,
    defaultLocation: z.string(),
    defaultTitle: z.string(),
    defaultDescription: z.string(),
    members: z.array(who),
    roundRobin: z.object({ lastMemberId: z.string().nullable() }).strict(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof calendarJson>, CalendarJson>>();
export const calendarList = z.object({ items: z.array(calendarJson) }).strict();

const slotDayJson = z
  .object({ date: z.string(), slots: z.array(z.object({ startAt: z.number(), endAt: z.number(), memberIds: z.array(z.string()) }).strict()) })
  .strict();
sameShape<SameShape<z.output<typeof slotDayJson>, SlotDay>>();
/** GET /calendars/:id/slots: free slots per date in the requested zone. */
export const slotsJson = z.object({ calendarId: z.string(), timeZone: z.string(), slotMinutes: z.number().int(), days: z.array(slotDayJson) }).strict();

export const appointmentJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    contactName: z.string().nullable(),
    calendar: z.object({ id: z.string(), name: z.string() }).strict(),
    title: z.string(),
    description: z.string(),
    member: who,
    attendees: z.array(who),
    timeZone: z.string(),
    startAt: z.number(),
    endAt: z.number(),
    location: z.string(),
    status: z.enum(['confirmed', 'unconfirmed', 'cancelled']),
    type: z.enum(['meeting', 'service']),
    createdBy: z.string().nullable(),
    cancelledAt: z.number().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof appointmentJson>, AppointmentJson>>();
export const appointmentPage = cursorPage(appointmentJson);
