// Calendars: a name, an IANA time zone, slot length, buffer, working hours per weekday, team members (in
// round-robin order), default location, title and description. Managed by the host backend (secret key) and
// owners/managers; every member reads them (to book).
import type { Db } from '../../db/connection.js';
import type { CalendarsTable } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { WEEKDAY_KEYS, minutesOf, type WorkingHours } from './slots.js';
import { isTimeZone } from './zoned-time.js';

export interface CalendarJson {
  id: string;
  name: string;
  timeZone: string;
  slotMinutes: number;
  bufferMinutes: number;
  workingHours: WorkingHours;
  defaultLocation: string;
  defaultTitle: string;
  defaultDescription: string;
  /** Team members, in round-robin order. */
  members: { id: string; name: string | null }[];
  /** The member the round-robin assigned last (the next booking starts after them). */
  roundRobin: { lastMemberId: string | null };
  createdAt: number;
  updatedAt: number;
}

export interface CalendarInput {
  name: string;
  timeZone: string;
  slotMinutes: number;
  bufferMinutes?: number;
  workingHours: WorkingHours;
  memberIds: string[];
  defaultLocation?: string;
  defaultTitle?: string;
  defaultDescription?: string;
}

/** Working hours: every weekday key, `HH:MM` intervals in order, not overlapping; the field path of the first fault. */
export function checkWorkingHours(hours: WorkingHours): string | null {
  for (const day of WEEKDAY_KEYS) {
    let last = -1;
    for (const [i, h] of (hours[day] ?? []).entries()) {
      const start = minutesOf(h.start);
      const end = minutesOf(h.end);
      if (!(start < end) || start < last) return `workingHours.${day}[${i}]`;
      last = end;
    }
  }
  return null;
}

type Row = CalendarsTable;

export class Calendars {
  constructor(private readonly db: Db) {}

  private async toJson(rows: Row[], db: Db = this.db): Promise<CalendarJson[]> {
    if (!rows.length) return [];
    const members = await db
      .selectFrom('calendar_members as cm')
      .leftJoin('members as m', 'm.id', 'cm.member_id')
      .select(['cm.calendar_id', 'cm.member_id', 'm.name'])
      .where('cm.calendar_id', 'in', rows.map((r) => r.id))
      .orderBy('cm.calendar_id')
      .orderBy('cm.position')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      timeZone: r.time_zone,
      slotMinutes: r.slot_minutes,
      bufferMinutes: r.buffer_minutes,
      workingHours: JSON.parse(r.working_hours) as WorkingHours,
      defaultLocation: r.default_location,
      defaultTitle: r.default_title,
      defaultDescription: r.default_description,
      members: members.filter((m) => m.calendar_id === r.id).map((m) => ({ id: m.member_id, name: m.name ?? null })),
      roundRobin: { lastMemberId: r.rr_last_member_id },
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async list(caller: Caller): Promise<CalendarJson[]> {
    const rows = await this.db.selectFrom('calendars').selectAll().where('workspace_id', '=', caller.workspace.id).orderBy('name').orderBy('id').limit(500).execute();
    return this.toJson(rows);
  }

  async get(caller: Caller, id: string, db: Db = this.db): Promise<CalendarJson> {
    const row = await db.selectFrom('calendars').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Calendar');
    return (await this.toJson([row], db))[0]!;
  }

  private async check(caller: Caller, input: Partial<CalendarInput>) {
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) throw invalidField('timeZone', `Unknown time zone “${input.timeZone}”; use an IANA name such as Europe/Berlin.`);
    if (input.workingHours) {
      const bad = checkWorkingHours(input.workingHours);
      if (bad) throw invalidField(bad, 'Working hours must start before they end, in order, without overlapping.');
    }
    if (input.memberIds?.length) {
      const found = await this.db.selectFrom('members').select('id').where('workspace_id', '=', caller.workspace.id).where('id', 'in', input.memberIds).execute();
      const known = new Set(found.map((m) => m.id));
      const index = input.memberIds.findIndex((id) => !known.has(id));
      if (index >= 0) throw invalidField(`memberIds[${index}]`, `No member with id ${input.memberIds[index]} in this workspace.`);
    }
  }

  private async setMembers(trx: Db, id: string, memberIds: string[]) {
    await trx.deleteFrom('calendar_members').where('calendar_id', '=', id).execute();
    if (memberIds.length) await trx.insertInto('calendar_members').values(memberIds.map((m, position) => ({ calendar_id: id, member_id: m, position }))).execute();
  }

  async create(caller: Caller, input: CalendarInput, now: number): Promise<CalendarJson> {
    await this.check(caller, input);
    const id = newId('cal_', now);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('calendars')
        .values({
          id,
          workspace_id: caller.workspace.id,
          name: input.name,
          time_zone: input.timeZone,
          slot_minutes: input.slotMinutes,
          buffer_minutes: input.bufferMinutes ?? 0,
          working_hours: JSON.stringify(input.workingHours),
          default_location: input.defaultLocation ?? '',
          default_title: input.defaultTitle || input.name,
          default_description: input.defaultDescription ?? '',
          rr_last_member_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.setMembers(trx, id, input.memberIds);
    });
    return this.get(caller, id);
  }

  async update(caller: Caller, id: string, patch: Partial<CalendarInput>, now: number): Promise<CalendarJson> {
    await this.get(caller, id);
    await this.check(caller, patch);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('calendars')
        .set({
          updated_at: now,
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
          ...(patch.slotMinutes !== undefined && { slot_minutes: patch.slotMinutes }),
          ...(patch.bufferMinutes !== undefined && { buffer_minutes: patch.bufferMinutes }),
          ...(patch.workingHours !== undefined && { working_hours: JSON.stringify(patch.workingHours) }),
          ...(patch.defaultLocation !== undefined && { default_location: patch.defaultLocation }),
          ...(patch.defaultTitle !== undefined && { default_title: patch.defaultTitle }),
          ...(patch.defaultDescription !== undefined && { default_description: patch.defaultDescription }),
        })
        .where('id', '=', id)
        .execute();
      if (patch.memberIds) await this.setMembers(trx, id, patch.memberIds);
    });
    return this.get(caller, id);
  }

  /** Deletes a calendar that has no appointments (cancelled ones count: they are history). */
  async remove(caller: Caller, id: string): Promise<CalendarJson> {
    const cal = await this.get(caller, id);
    const used = await this.db.selectFrom('appointments').select('id').where('calendar_id', '=', id).limit(1).executeTakeFirst();
    if (used) throw new ApiError(409, 'calendar_in_use', 'This calendar has appointments; it cannot be deleted. Remove its members to stop new bookings.');
    await this.db.deleteFrom('calendars').where('id', '=', id).execute();
    return cal;
  }
}
