import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, billDate } from './schedule.js';

const d = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('billing schedule', () => {
  it('adds calendar months, clamping the day to the month end', () => {
    const table: [string, number, string][] = [
      ['2026-01-15T09:30:00.000Z', 1, '2026-02-15T09:30:00.000Z'],
      ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
      ['2028-01-31T00:00:00.000Z', 1, '2028-02-29T00:00:00.000Z'], // leap year
      ['2026-03-31T00:00:00.000Z', 1, '2026-04-30T00:00:00.000Z'],
      ['2026-12-31T00:00:00.000Z', 2, '2027-02-28T00:00:00.000Z'],
      ['2026-11-30T00:00:00.000Z', 3, '2027-02-28T00:00:00.000Z'],
      ['2028-02-29T12:00:00.000Z', 12, '2029-02-28T12:00:00.000Z'],
      ['2026-05-31T00:00:00.000Z', -1, '2026-04-30T00:00:00.000Z'],
    ];
    for (const [start, months, want] of table) assert.equal(iso(addMonths(d(start), months)), want, `${start} + ${months}`);
  });

  it('counts each period from the start, so a clamped month end comes back', () => {
    const start = d('2026-01-31T08:00:00.000Z');
    const monthly = [0, 1, 2, 3, 4].map((n) => iso(billDate(start, 'month', 1, n)).slice(0, 10));
    assert.deepEqual(monthly, ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    const quarterly = [0, 1, 2].map((n) => iso(billDate(start, 'month', 3, n)).slice(0, 10));
    assert.deepEqual(quarterly, ['2026-01-31', '2026-04-30', '2026-07-31']);
    const yearly = [0, 1, 4].map((n) => iso(billDate(d('2028-02-29T00:00:00.000Z'), 'year', 1, n)).slice(0, 10));
    assert.deepEqual(yearly, ['2028-02-29', '2029-02-28', '2032-02-29']);
  });
});
