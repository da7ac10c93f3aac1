// One appointment as an iCalendar file (RFC 5545): times in UTC (no VTIMEZONE needed; X-WR-TIMEZONE and the
// event's zone name tell readers which zone it was booked in), text escaped, lines folded at 75 octets, CRLF.

export interface IcsEvent {
  uid: string;
  stamp: number;
  created: number;
  modified: number;
  start: number;
  end: number;
  timeZone: string;
  title: string;
  description: string;
  location: string;
  status: 'confirmed' | 'unconfirmed' | 'cancelled';
  organizer: { name: string; email: string } | null;
  attendees: { name: string; email: string }[];
}

/** `20270328T070000Z` */
export const icsTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** TEXT escaping: backslash, semicolon, comma, line breaks. */
export const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');

/** A parameter value (CN=…): quoted when it holds `:;,`; quotes themselves are not allowed, so they go. */
const param = (text: string) => {
  const clean = text.replace(/["\r\n]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
};

/** Folds a content line into pieces of at most 75 octets, never inside a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    const limit = out.length ? 74 : 75; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const STATUS = { confirmed: 'CONFIRMED', unconfirmed: 'TENTATIVE', cancelled: 'CANCELLED' } as const;

export function toIcs(e: IcsEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dossier//Appointments//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-TIMEZONE:${e.timeZone}`,
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${icsTime(e.stamp)}`,
    `CREATED:${icsTime(e.created)}`,
    `LAST-MODIFIED:${icsTime(e.modified)}`,
    `DTSTART:${icsTime(e.start)}`,
    `DTEND:${icsTime(e.end)}`,
    `SUMMARY:${escapeText(e.title)}`,
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    `STATUS:${STATUS[e.status]}`,
    ...(e.organizer ? [`ORGANIZER;CN=${param(e.organizer.name)}:mailto:${e.organizer.email}`] : []),
    ...e.attendees.map((a) => `ATTENDEE;CN=${param(a.name)};ROLE=REQ-PARTICIPANT:mailto:${a.email}`),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
