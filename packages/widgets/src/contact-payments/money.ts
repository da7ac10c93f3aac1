// Money in the widgets: integer minor units with an ISO 4217 code, formatted by Intl from an exact decimal string
// (Intl.NumberFormat takes strings), and typed amounts parsed digit by digit — never through a float.
import { getLocale } from '../../../core/src/i18n.js';

const ZERO = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
export const minorDigits = (currency: string) => (ZERO.has(currency.toLowerCase()) ? 0 : THREE.has(currency.toLowerCase()) ? 3 : 2);

/** "12.34" from 1234 (usd), "-5" from -5 (jpy). */
export function toDecimal(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(Math.trunc(amount))).padStart(digits + 1, '0');
  return digits ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
}

/** 1234 usd → "$12.34" in the reader's language. */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(getLocale(), { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(toDecimal(amount, currency) as unknown as number);
  } catch {
    return `${toDecimal(amount, currency)} ${code}`;
  }
}

/**
 * Minor units from what a person typed ("12", "12.5", "12,50", "1,234.56", "1.234,56"): the last `.` or `,` followed
 * by at most the currency's digits is the decimal mark; other separators are grouping. null when it is no amount.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const s = text.replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const mark = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  let whole = s;
  let frac = '';
  if (mark >= 0 && s.length - mark - 1 <= digits && s.length - mark - 1 > 0 && !(s.length - mark - 1 === 3 && digits < 3 && s.indexOf(s[mark]!) !== mark)) {
    whole = s.slice(0, mark);
    frac = s.slice(mark + 1);
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(frac)) return null;
  const minor = `${whole}${frac.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  const n = Number(minor);
  return Number.isSafeInteger(n) ? n : null;
}

/** The currencies offered in the Charge dialog (any ISO code works through the API). */
export const CURRENCIES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'chf', 'jpy', 'sek', 'nok', 'dkk', 'pln', 'mxn', 'brl', 'inr', 'sgd', 'aed'];
