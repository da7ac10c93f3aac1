// When a subscription bills: period n at start + n × interval, counted from the start each time (never from the
// previous bill), so a month end that had to be clamped comes back: Jan 31 → Feb 28 (29) → Mar 31 → Apr 30.
// Calendar arithmetic in UTC, keeping the start's time of day.
import type { BillingInterval } from '../../db/schema-billing.js';

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** `start` plus `months` calendar months, the day clamped to the target month's last day. */
export function addMonths(start: number, months: number): number {
  const d = new Date(start);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysIn(year, month));
  return Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** The bill time of period `n` (0 = the first bill, at `start`). */
export function billDate(start: number, interval: BillingInterval, count: number, n: number): number {
  return addMonths(start, n * count * (interval === 'year' ? 12 : 1));
}
