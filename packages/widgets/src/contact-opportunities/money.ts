// Money as the server keeps it: integer minor units of an ISO 4217 currency. Formatting and parsing work on the
// digits as text, so no amount ever passes through a binary fraction (0.1 + 0.2).
import { currencyExponent } from '../../../core/src/money.js';
export { formatMoney } from '../contact-payments/money.js';

/** The currency's minor-unit digits (2 for USD, 0 for JPY, 3 for KWD): the one table in core/money.ts. */
export const minorDigits = currencyExponent;

/**
 * What a user typed ("1,234.5", "1.234,50", "1 234", "12") as minor units; null when it is no amount or has more
 * decimals than the currency. The last `.` or `,` followed by at most the currency's digits is the decimal mark;
 * other marks and spaces group thousands.
 */
export function parseMoney(input: string, currency: string): number | null {
  const text = input.replace(/[\s\u00a0\u202f_']/g, '');
  if (!text) return 0;
  if (!/^\d[\d.,]*$/.test(text)) return null;
  const digits = minorDigits(currency);
  const mark = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
  let whole = text;
  let fraction = '';
  if (mark >= 0) {
    const after = text.slice(mark + 1);
    const groups = text.split(/[.,]/);
    // "1,234" with a 2-digit currency: three digits after the only mark group thousands.
    const grouping = after.length === 3 && (digits < 3 || new Set(text.match(/[.,]/g)).size === 1 && groups.length > 2);
    if (!grouping) {
      whole = text.slice(0, mark);
      fraction = after;
    }
  }
  whole = whole.replace(/[.,]/g, '');
  if (fraction.length > digits || !/^\d*$/.test(fraction)) return null;
  const minor = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}
