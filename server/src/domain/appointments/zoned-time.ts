// Wall-clock time in an IANA time zone <-> UTC instants, with Intl only (no zone database of our own): the
// runtime's tz data answers offsets, so DST changes are right for every zone the runtime knows.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock reading in `zone` at the instant `ms`. */
export function wallAt(ms: number, zone: string): Wall {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(ms)) parts[p.type] = p.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday!] ?? 0 };
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (+1 h in Berlin in winter). */
export function offsetAt(ms: number, zone: string): number {
  const w = wallAt(ms, zone);
  const seconds = Math.floor(ms / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, new Date(seconds).getUTCSeconds()) - seconds;
}

/**
 * The instant a wall-clock time in `zone` names. A time that happens twice (the hour repeated when clocks go back)
 * is the first; a time that does not exist (skipped when clocks go forward) moves forward by the gap — as
 * Temporal's `disambiguation: 'compatible'` does.
 */
export function instantOf(year: number, month: number, day: number, minutes: number, zone: string): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  const early = guess - offsetAt(guess - 86_400_000, zone);
  const late = guess - offsetAt(guess + 86_400_000, zone);
  const matches = (t: number) => t + offsetAt(t, zone) === guess;
  const a = matches(early);
  const b = matches(late);
  if (a && b) return Math.min(early, late);
  if (a) return early;
  if (b) return late;
  return early; // in the gap: the offset before the change, read after it, lands past the gap
}

/** `YYYY-MM-DD` of the instant in `zone`. */
export function dateIn(ms: number, zone: string): string {
  const w = wallAt(ms, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD` (a real calendar date) into its parts. */
export function parseDate(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

/** The date `n` days after `YYYY-MM-DD` (calendar arithmetic, no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, n: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}
