import { getLocale, t } from './i18n.js';

/** `timeZone`: an IANA zone to read the time in (default: the reader's). */
export function formatDateTime(ms: number | null | undefined, timeZone?: string): string {
  if (ms == null) return t('time.never');
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
}

export function formatDate(ms: number | null | undefined): string {
  if (ms == null) return t('time.never');
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(ms);
}

/** A calendar date ("1959-07-14", as date custom fields hold it) in the reader's format; the same day everywhere. */
export function formatDay(iso: string): string {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(ms) ? iso : new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "in 2 hours", "now". */
export function formatRelative(ms: number | null | undefined, now = Date.now()): string {
  if (ms == null) return t('time.never');
  const diff = ms - now;
  const rtf = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(0, 'minute');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(getLocale(), { maximumFractionDigits: i ? 1 : 0 }).format(value)} ${units[i]}`;
}

/** Up to two initials from a name ("Ada Lovelace" → "AL", "@jane.doe · Instagram" → "JD"); digits give "#". */
export function initials(name: string): string {
  const handle = /^@(\S+)/.exec(name.trim());
  const words = (handle ? handle[1]!.split(/[._-]+/) : name.trim().split(/\s+/)).filter((w) => /^\p{L}/u.test(w));
  if (!words.length) return '#';
  const first = words[0]!;
  const last = words.length > 1 ? words[words.length - 1]! : '';
  return (first[0]! + (last[0] ?? '')).toUpperCase();
}
