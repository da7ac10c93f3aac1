// Due dates as the reader sees them: in their own time zone (the server keeps UTC milliseconds).

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The input's local time as milliseconds; null when empty or not a date. */
export function fromLocalInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** The end of the reader's day `now` falls in (exclusive). */
export function endOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/** An open task past its due time is overdue; one due later today is due today. */
export function dueState(task: { status: string; dueAt: number }, now: number): 'overdue' | 'today' | '' {
  if (task.status !== 'open') return '';
  if (task.dueAt < now) return 'overdue';
  return task.dueAt < endOfDay(now) ? 'today' : '';
}
