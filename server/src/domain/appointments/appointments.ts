// A contact's appointments (the record's Appointments tab): booked on a calendar with a team member (chosen, or the
// next free one by round-robin), guests, time zone, location, status and type; edited in full; cancelled (kept).
// Booking is atomic on both engines: the transaction first takes the members' rows in `booking_locks` (in id order,
// so two bookings never wait on each other in a cycle), then reads their busy times and inserts — a concurrent
// booking of the same member waits, then sees this one and is refused (409 slot_taken). Each change is audited
// (Activity and the audit log read it; webhooks are written with it) and published on the event feed once committed.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { engineOf } from '../../db/engine/index.js';
import type { AppointmentsTable, AppointmentStatus, AppointmentType } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf, getVisibleContact, visibleTo } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { Calendars, type CalendarJson } from './calendars.js';
import { toIcs } from './ics.js';
import { clashes, computeSlots, withinWorkingHours, type Busy, type SlotDay } from './slots.js';
import { isTimeZone } from './zoned-time.js';

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5_000;
export const MAX_LOCATION = 500;
export const MAX_ATTENDEES = 20;
/** Slots are computed for at most this many days at once. */
export const MAX_SLOT_DAYS = 42;

export interface AppointmentJson {
  id: string;
  contactId: string;
  contactName: string | null;
  calendar: { id: string; name: string };
  title: string;
  description: string;
  member: { id: string; name: string | null };
  attendees: { id: string; name: string | null }[];
  timeZone: string;
  startAt: number;
  endAt: number;
  location: string;
  status: AppointmentStatus;
  type: AppointmentType;
  createdBy: string | null;
  cancelledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface AppointmentInput {
  calendarId: string;
  title?: string;
  description?: string;
  /** A calendar member, or absent/null: the calendar's round-robin picks the next free one. */
  memberId?: string | null;
  attendeeIds?: string[];
  timeZone?: string;
  startAt: number;
  endAt?: number;
  location?: string;
  status?: Exclude<AppointmentStatus, 'cancelled'>;
  type?: AppointmentType;
}
export type AppointmentPatch = Partial<Omit<AppointmentInput, 'status'>> & { status?: AppointmentStatus };

export type AppointmentWhen = 'upcoming' | 'previous' | 'all';
export type AppointmentCursor = [number, string];

type Row = AppointmentsTable & { member_name: string | null; calendar_name: string; contact_name: string | null };

export class Appointments {
  private readonly calendars: Calendars;
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {
    this.calendars = new Calendars(db);
  }

  private select(db: Db = this.db) {
    return db
      .selectFrom('appointments as a')
      .innerJoin('contacts', 'contacts.id', 'a.contact_id')
      .innerJoin('calendars as c', 'c.id', 'a.calendar_id')
      .leftJoin('members as m', 'm.id', 'a.member_id')
      .selectAll('a')
      .select(['m.name as member_name', 'c.name as calendar_name', 'contacts.display_name as contact_name']);
  }

  private async toJson(rows: Row[], db: Db = this.db): Promise<AppointmentJson[]> {
    const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.attendee_ids) as string[]))];
    const names = new Map<string, string | null>();
    if (ids.length) {
      for (const c of await db.selectFrom('contacts').select(['id', 'display_name']).where('id', 'in', ids).execute()) names.set(c.id, c.display_name);
    }
    return rows.map((r) => ({
      id: r.id,
      contactId: r.contact_id,
      contactName: r.contact_name,
      calendar: { id: r.calendar_id, name: r.calendar_name },
      title: r.title,
      description: r.description,
      member: { id: r.member_id, name: r.member_name },
      attendees: (JSON.parse(r.attendee_ids) as string[]).filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id) ?? null })),
      timeZone: r.time_zone,
      startAt: r.start_at,
      endAt: r.end_at,
      location: r.location,
      status: r.status,
      type: r.type,
      createdBy: r.created_by,
      cancelledAt: r.cancelled_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /**
   * Upcoming (not yet ended; soonest first), previous (ended; latest first) or all (latest first). Cancelled ones stay
   * in the lists. `q` searches title, description and location.
   */
  async list(caller: Caller, contactId: string, o: { when: AppointmentWhen; q?: string; limit: number; after?: AppointmentCursor; now: number }) {
    await getVisibleContact(this.db, caller, contactId);
    const dir = o.when === 'upcoming' ? 'asc' : 'desc';
    let q = this.select().where('a.workspace_id', '=', caller.workspace.id).where('a.contact_id', '=', contactId);
    if (o.when === 'upcoming') q = q.where('a.end_at', '>=', o.now);
    if (o.when === 'previous') q = q.where('a.end_at', '<', o.now);
    if (o.q) {
      const pattern = `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const text = engineOf(this.db).text;
      q = q.where((eb) => eb.or([text.like(sql.ref('a.title'), pattern), text.like(sql.ref('a.description'), pattern), text.like(sql.ref('a.location'), pattern)]));
    }
    if (o.after) {
      const [at, id] = o.after;
      const cmp = dir === 'asc' ? '>' : '<';
      q = q.where((eb) => eb.or([eb('a.start_at', cmp, at), eb.and([eb('a.start_at', '=', at), eb('a.id', cmp, id)])]));
    }
    const rows = (await q.orderBy('a.start_at', dir).orderBy('a.id', dir).limit(o.limit + 1).execute()) as Row[];
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: await this.toJson(shown), next: rows.length > o.limit && last ? ([last.start_at, last.id] as AppointmentCursor) : null };
  }

  private async row(caller: Caller, contactId: string, id: string, db: Db = this.db): Promise<Row> {
    const row = (await this.select(db).where('a.workspace_id', '=', caller.workspace.id).where('a.contact_id', '=', contactId).where('a.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) throw notFound('Appointment');
    return row;
  }

  async get(caller: Caller, contactId: string, id: string): Promise<AppointmentJson> {
    await getVisibleContact(this.db, caller, contactId);
    return (await this.toJson([await this.row(caller, contactId, id)]))[0]!;
  }

  /** Busy times of members overlapping [from, to) (cancelled appointments free their time). */
  private busy(db: Db, workspaceId: string, memberIds: string[], from: number, to: number, except?: string): Promise<Busy[]> {
    if (!memberIds.length) return Promise.resolve([]);
    let q = db
      .selectFrom('appointments')
      .select(['member_id as memberId', 'start_at as startAt', 'end_at as endAt'])
      .where('workspace_id', '=', workspaceId)
      .where('member_id', 'in', memberIds)
      .where('status', '!=', 'cancelled')
      .where('start_at', '<', to)
      .where('end_at', '>', from);
    if (except) q = q.where('id', '!=', except);
    return q.execute();
  }

  /** Free slots of a calendar for dates [from, to] in `zone` (one member's, or any member's). */
  async slots(caller: Caller, calendarId: string, o: { from: string; to: string; zone?: string; memberId?: string; except?: string; now: number }): Promise<{ calendar: CalendarJson; zone: string; days: SlotDay[] }> {
    const calendar = await this.calendars.get(caller, calendarId);
    if (o.memberId && !calendar.members.some((m) => m.id === o.memberId)) throw invalidField('memberId', 'This member is not on the calendar.');
    const cal = { ...calendar, memberIds: calendar.members.map((m) => m.id) };
    // Busy times within the widest window the dates may cover (the zones differ by at most 27 hours).
    const start = Date.parse(`${o.from}T00:00:00Z`) - 2 * 86_400_000;
    const end = Date.parse(`${o.to}T00:00:00Z`) + 3 * 86_400_000;
    const members = o.memberId ? [o.memberId] : cal.memberIds;
    const busy = await this.busy(this.db, caller.workspace.id, members, start - cal.bufferMinutes * 60_000, end + cal.bufferMinutes * 60_000, o.except);
    const zone = o.zone ?? calendar.timeZone;
    return { calendar, zone, days: computeSlots(cal, busy, { from: o.from, to: o.to, zone, now: o.now, onlyMember: o.memberId }) };
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its appointments.');
  }

  private async calendarOf(caller: Caller, id: string) {
    try {
      return await this.calendars.get(caller, id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw invalidField('calendarId', `No calendar with id ${id} in this workspace.`);
      throw err;
    }
  }

  /** Guests: other contacts the caller may see. */
  private async checkAttendees(caller: Caller, contactId: string, ids: string[]) {
    const index = ids.indexOf(contactId);
    if (index >= 0) throw invalidField(`attendeeIds[${index}]`, 'The contact is the appointment’s own; add other contacts as guests.');
    if (!ids.length) return;
    const found = await this.db.selectFrom('contacts').select('contacts.id').where('contacts.id', 'in', ids).where(visibleTo(caller)).where('contacts.deleted_at', 'is', null).execute();
    const known = new Set(found.map((r) => r.id));
    const bad = ids.findIndex((id) => !known.has(id));
    if (bad >= 0) throw invalidField(`attendeeIds[${bad}]`, `No contact with id ${ids[bad]} that you can see.`);
  }

  /** A time must start in the future and fit in the calendar's working hours. */
  private checkTime(cal: CalendarJson, startAt: number, endAt: number, now: number) {
    if (!(endAt > startAt)) throw invalidField('endAt', 'The appointment must end after it starts.');
    if (endAt - startAt > 86_400_000) throw invalidField('endAt', 'An appointment lasts at most 24 hours.');
    if (startAt < now) throw invalidField('startAt', 'This time has passed; pick a time in the future.');
    if (!withinWorkingHours(cal, startAt, endAt)) throw invalidField('startAt', `This time is outside the working hours of “${cal.name}”.`);
  }

  /**
   * In the transaction: locks the candidates, and returns the first of them (in order) free for [startAt, endAt),
   * or refuses with 409 slot_taken.
   */
  private async claim(trx: Db, caller: Caller, cal: CalendarJson, candidates: string[], startAt: number, endAt: number, except?: string): Promise<string> {
    for (const memberId of [...candidates].sort()) {
      await trx
        .insertInto('booking_locks')
        .values({ member_id: memberId, bookings: 1 })
        .onConflict((oc) => oc.column('member_id').doUpdateSet({ bookings: sql`booking_locks.bookings + 1` }))
        .execute();
    }
    const buffer = cal.bufferMinutes * 60_000;
    const busy = await this.busy(trx, caller.workspace.id, candidates, startAt - buffer, endAt + buffer, except);
    const free = candidates.find((m) => !busy.some((b) => b.memberId === m && clashes(startAt, endAt, b, buffer)));
    if (free) return free;
    const one = candidates.length === 1;
    const name = one ? cal.members.find((m) => m.id === candidates[0])?.name : null;
    throw new ApiError(
      409,
      'slot_taken',
      one ? `${name ?? 'This team member'} already has an appointment at this time. Pick another time or team member.` : 'No team member of this calendar is free at this time any more. Pick another time.',
      { field: 'startAt', ...(one && { memberId: candidates[0] }) },
    );
  }

  /** Members in round-robin order: after the one assigned last. */
  private roundRobin(cal: CalendarJson): string[] {
    const ids = cal.members.map((m) => m.id);
    const last = ids.indexOf(cal.roundRobin.lastMemberId ?? '');
    return last < 0 ? ids : [...ids.slice(last + 1), ...ids.slice(0, last + 1)];
  }

  private publish(type: 'created' | 'updated', caller: Caller, contactId: string, id: string) {
    this.events?.publish({ type: `appointment.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  private audit(trx: Db, caller: Caller, contactId: string, action: string, changes: Changes, a: { id: string; title: string; startAt: number }, now: number) {
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId, actor: actorOf(caller), action, changes, context: { appointment: { id: a.id, name: a.title, startAt: a.startAt } }, at: now });
  }

  async book(caller: Caller, contactId: string, input: AppointmentInput, now: number): Promise<AppointmentJson> {
    await this.writable(caller, contactId);
    const cal = await this.calendarOf(caller, input.calendarId);
    if (!cal.members.length) throw invalidField('calendarId', `“${cal.name}” has no team members to book with.`);
    if (input.memberId && !cal.members.some((m) => m.id === input.memberId)) throw invalidField('memberId', 'This member is not on the calendar.');
    const timeZone = input.timeZone ?? cal.timeZone;
    if (!isTimeZone(timeZone)) throw invalidField('timeZone', `Unknown time zone “${timeZone}”.`);
    const endAt = input.endAt ?? input.startAt + cal.slotMinutes * 60_000;
    this.checkTime(cal, input.startAt, endAt, now);
    const attendeeIds = [...new Set(input.attendeeIds ?? [])];
    await this.checkAttendees(caller, contactId, attendeeIds);
    const id = newId('ap_', now);
    const values = {
      title: input.title || cal.defaultTitle,
      description: input.description || cal.defaultDescription,
      location: input.location || cal.defaultLocation,
      status: input.status ?? 'confirmed',
      type: input.type ?? 'meeting',
    } as const;
    await this.db.transaction().execute(async (trx) => {
      const memberId = await this.claim(trx, caller, cal, input.memberId ? [input.memberId] : this.roundRobin(cal), input.startAt, endAt);
      await trx
        .insertInto('appointments')
        .values({ id, workspace_id: caller.workspace.id, contact_id: contactId, calendar_id: cal.id, member_id: memberId, ...values, attendee_ids: JSON.stringify(attendeeIds), time_zone: timeZone, start_at: input.startAt, end_at: endAt, created_by: caller.kind === 'member' ? caller.member.id : null, cancelled_at: null, created_at: now, updated_at: now })
        .execute();
      if (!input.memberId) await trx.updateTable('calendars').set({ rr_last_member_id: memberId }).where('id', '=', cal.id).execute();
      const after = { calendarId: cal.id, memberId, ...values, startAt: input.startAt, endAt, timeZone, attendeeIds, roundRobin: !input.memberId };
      await this.audit(trx, caller, contactId, 'appointment.booked', Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { before: null, after: v }])), { id, title: values.title, startAt: input.startAt }, now);
    });
    this.publish('created', caller, contactId, id);
    return this.get(caller, contactId, id);
  }

  async update(caller: Caller, contactId: string, id: string, patch: AppointmentPatch, now: number): Promise<AppointmentJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller, contactId, id);
    const calendarChanged = patch.calendarId !== undefined && patch.calendarId !== before.calendar_id;
    const cal = await this.calendarOf(caller, patch.calendarId ?? before.calendar_id);
    const timeZone = patch.timeZone ?? before.time_zone;
    if (!isTimeZone(timeZone)) throw invalidField('timeZone', `Unknown time zone “${timeZone}”.`);
    const startAt = patch.startAt ?? before.start_at;
    const endAt = patch.endAt ?? (patch.startAt !== undefined || calendarChanged ? startAt + cal.slotMinutes * 60_000 : before.end_at);
    const status = patch.status ?? before.status;
    // `memberId: null` asks the round-robin again; a new calendar needs a member of its own.
    const wantsAuto = patch.memberId === null || (calendarChanged && patch.memberId === undefined && !cal.members.some((m) => m.id === before.member_id));
    const memberId = wantsAuto ? null : (patch.memberId ?? before.member_id);
    if (memberId && memberId !== before.member_id && !cal.members.some((m) => m.id === memberId)) throw invalidField('memberId', 'This member is not on the calendar.');
    if (memberId && calendarChanged && !cal.members.some((m) => m.id === memberId)) throw invalidField('memberId', 'This member is not on the calendar.');
    const timeChanged = startAt !== before.start_at || endAt !== before.end_at || calendarChanged;
    if (timeChanged) this.checkTime(cal, startAt, endAt, now);
    if (patch.attendeeIds) await this.checkAttendees(caller, contactId, [...new Set(patch.attendeeIds)]);
    // A member's time is claimed again when it moves, changes hands, or a cancelled appointment comes back.
    const reclaim = status !== 'cancelled' && (timeChanged || memberId !== before.member_id || before.status === 'cancelled');

    const next = {
      calendar_id: cal.id,
      title: patch.title !== undefined ? patch.title || cal.defaultTitle : before.title,
      description: patch.description !== undefined ? patch.description || cal.defaultDescription : before.description,
      location: patch.location !== undefined ? patch.location || cal.defaultLocation : before.location,
      type: patch.type ?? before.type,
      time_zone: timeZone,
      start_at: startAt,
      end_at: endAt,
      attendee_ids: patch.attendeeIds ? JSON.stringify([...new Set(patch.attendeeIds)]) : before.attendee_ids,
    };
    const names: Record<keyof typeof next | 'member_id' | 'status', string> = {
      calendar_id: 'calendarId', title: 'title', description: 'description', location: 'location', type: 'type', time_zone: 'timeZone', start_at: 'startAt', end_at: 'endAt', attendee_ids: 'attendeeIds', member_id: 'memberId', status: 'status',
    };
    await this.db.transaction().execute(async (trx) => {
      const assigned = reclaim ? await this.claim(trx, caller, cal, memberId ? [memberId] : this.roundRobin(cal), startAt, endAt, id) : (memberId ?? before.member_id);
      const set: Partial<AppointmentsTable> = { ...next, member_id: assigned, status };
      const changes: Changes = {};
      for (const [column, value] of Object.entries(set) as [keyof AppointmentsTable, unknown][]) {
        if (value === before[column] || column === 'status') continue;
        const parse = column === 'attendee_ids' ? (v: unknown) => JSON.parse(v as string) as unknown : (v: unknown) => v;
        changes[names[column as keyof typeof names]] = { before: parse(before[column]), after: parse(value) };
      }
      const statusChanged = status !== before.status;
      if (!Object.keys(changes).length && !statusChanged) return;
      await trx
        .updateTable('appointments')
        .set({ ...set, updated_at: now, ...(statusChanged && { cancelled_at: status === 'cancelled' ? now : null }) })
        .where('id', '=', id)
        .execute();
      if (!memberId && reclaim) await trx.updateTable('calendars').set({ rr_last_member_id: assigned }).where('id', '=', cal.id).execute();
      const ref = { id, title: next.title, startAt };
      if (statusChanged) changes.status = { before: before.status, after: status };
      if (statusChanged && status === 'cancelled') {
        const { status: _s, ...rest } = changes;
        if (Object.keys(rest).length) await this.audit(trx, caller, contactId, 'appointment.updated', rest, ref, now);
        await this.audit(trx, caller, contactId, 'appointment.cancelled', { status: changes.status! }, ref, now);
      } else {
        await this.audit(trx, caller, contactId, 'appointment.updated', changes, ref, now);
      }
    });
    this.publish('updated', caller, contactId, id);
    return this.get(caller, contactId, id);
  }

  /** The appointment as an iCalendar file; the contact and guests with an email are attendees, the member organizes. */
  async ics(caller: Caller, contactId: string, id: string, now: number): Promise<{ name: string; body: string }> {
    const a = await this.get(caller, contactId, id);
    const member = await this.db.selectFrom('members').select(['name', 'email']).where('id', '=', a.member.id).executeTakeFirst();
    const people = [{ id: a.contactId, name: a.contactName }, ...a.attendees];
    const emails = await this.db
      .selectFrom('contact_emails')
      .select(['contact_id', 'value'])
      .where('workspace_id', '=', caller.workspace.id)
      .where('contact_id', 'in', people.map((p) => p.id))
      .where('is_primary', '=', 1)
      .execute();
    const emailOf = new Map(emails.map((e) => [e.contact_id, e.value]));
    const body = toIcs({
      uid: `${a.id}@dossier`,
      stamp: now,
      created: a.createdAt,
      modified: a.updatedAt,
      start: a.startAt,
      end: a.endAt,
      timeZone: a.timeZone,
      title: a.title,
      description: a.description,
      location: a.location,
      status: a.status,
      organizer: member?.email ? { name: member.name, email: member.email } : null,
      attendees: people.flatMap((p) => (emailOf.has(p.id) ? [{ name: p.name ?? emailOf.get(p.id)!, email: emailOf.get(p.id)! }] : [])),
    });
    const slug = a.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'appointment';
    return { name: `${slug}.ics`, body };
  }

  /** An appointment as webhooks carry it (inside the change's transaction). */
  static async json(trx: Db, id: string): Promise<AppointmentJson | null> {
    const self = new Appointments(trx, undefined);
    const row = (await self.select(trx).where('a.id', '=', id).executeTakeFirst()) as Row | undefined;
    return row ? (await self.toJson([row], trx))[0]! : null;
  }
}
