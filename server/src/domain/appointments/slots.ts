// Free slots of a calendar: its working hours per weekday (wall-clock times in the calendar's zone) cut into
// slot-length pieces, minus what is past and what a member's appointments (widened by the buffer) take. Pure: the
// caller reads the busy times; slots are walked in real elapsed time between the day's interval bounds, so a day
// on which clocks change has its real number of slots (none at times that do not exist, none counted twice).
import { addDays, dateIn, instantOf, parseDate } from './zoned-time.js';

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];
/** Per weekday, intervals of `HH:MM` wall-clock times (end may be `24:00`), sorted, not overlapping. */
export type WorkingHours = Record<WeekdayKey, { start: string; end: string }[]>;

export interface SlotCalendar {
  timeZone: string;
  slotMinutes: number;
  bufferMinutes: number;
  workingHours: WorkingHours;
  memberIds: string[];
}

/** A member's appointment (not cancelled): [start, end) in ms. */
export interface Busy {
  memberId: string;
  startAt: number;
  endAt: number;
}

export interface Slot {
  startAt: number;
  endAt: number;
  /** Members free for it, in the calendar's round-robin order. */
  memberIds: string[];
}

export interface SlotDay {
  /** The date in the requested zone. */
  date: string;
  slots: Slot[];
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether [start, end) of a member's time clashes with a busy time, the buffer kept on both sides. */
export const clashes = (startAt: number, endAt: number, busy: Busy, bufferMs: number) => startAt < busy.endAt + bufferMs && endAt + bufferMs > busy.startAt;

/**
 * The intervals (UTC ms) of working time whose wall-clock day lies in [from - 1, to + 1] in the calendar's zone
 * (a day more each side: the requested zone's dates may start or end on another calendar day).
 */
export function workingIntervals(cal: Pick<SlotCalendar, 'timeZone' | 'workingHours'>, from: string, to: string): [number, number][] {
  const first = parseDate(from)!;
  const last = parseDate(to)!;
  const days = Math.round((Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000);
  const out: [number, number][] = [];
  for (let i = -1; i <= days + 1; i++) {
    const d = addDays(first, i);
    for (const h of cal.workingHours[WEEKDAY_KEYS[d.weekday]!]) {
      const start = instantOf(d.year, d.month, d.day, minutesOf(h.start), cal.timeZone);
      const end = instantOf(d.year, d.month, d.day, minutesOf(h.end), cal.timeZone);
      if (end > start) out.push([start, end]);
    }
  }
  return out;
}

/**
 * Free slots whose start falls on a date in [from, to] (inclusive, `YYYY-MM-DD`) in `zone`, each with the members
 * free for it (`onlyMember`: that member only). Starts before `now` are left out. `busy` may hold any member's times.
 */
export function computeSlots(cal: SlotCalendar, busy: Busy[], o: { from: string; to: string; zone: string; now: number; onlyMember?: string }): SlotDay[] {
  const slotMs = cal.slotMinutes * 60_000;
  const bufferMs = cal.bufferMinutes * 60_000;
  const members = o.onlyMember ? cal.memberIds.filter((m) => m === o.onlyMember) : cal.memberIds;
  const byMember = new Map<string, Busy[]>(members.map((m) => [m, []]));
  for (const b of busy) byMember.get(b.memberId)?.push(b);
  for (const list of byMember.values()) list.sort((a, b) => a.startAt - b.startAt);
  // Per member, the index of the first busy time that may still clash (slots come in time order).
  const cursor = new Map<string, number>(members.map((m) => [m, 0]));
  const days = new Map<string, Slot[]>();
  // Dates in the requested zone change only at its midnights: read the date once per distinct local day.
  let dayEnd = -Infinity;
  let day = '';
  for (const [start, end] of workingIntervals(cal, o.from, o.to).sort((a, b) => a[0] - b[0])) {
    for (let s = start; s + slotMs <= end; s += slotMs) {
      if (s < o.now) continue;
      const free: string[] = [];
      for (const m of members) {
        const list = byMember.get(m)!;
        let i = cursor.get(m)!;
        while (i < list.length && list[i]!.endAt + bufferMs <= s) i++;
        cursor.set(m, i);
        let taken = false;
        for (let j = i; j < list.length && list[j]!.startAt < s + slotMs + bufferMs; j++) {
          if (clashes(s, s + slotMs, list[j]!, bufferMs)) {
            taken = true;
            break;
          }
        }
        if (!taken) free.push(m);
      }
      if (!free.length) continue;
      if (s >= dayEnd) {
        day = dateIn(s, o.zone);
        const d = parseDate(day)!;
        const next = addDays(d, 1);
        dayEnd = instantOf(next.year, next.month, next.day, 0, o.zone);
      }
      if (day < o.from || day > o.to) continue;
      let list = days.get(day);
      if (!list) days.set(day, (list = []));
      list.push({ startAt: s, endAt: s + slotMs, memberIds: free });
    }
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, slots]) => ({ date, slots }));
}

/** Whether [startAt, endAt) lies wholly inside one working interval of the calendar. */
export function withinWorkingHours(cal: Pick<SlotCalendar, 'timeZone' | 'workingHours'>, startAt: number, endAt: number): boolean {
  const from = dateIn(startAt, cal.timeZone);
  return workingIntervals(cal, from, from).some(([s, e]) => startAt >= s && endAt <= e);
}
