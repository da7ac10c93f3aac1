// Money in the widgets: integer minor units with an ISO 4217 code, formatted by Intl from an exact decimal string
// (Intl.NumberFormat takes strings), and typed amounts parsed digit by digit — never through a float.
import { getLocale } from '../../../core/src/i18n.js';
import { amountText, currencyExponent, formatMoney as formatIn } from '../../../core/src/money.js';

/** The currency's minor-unit digits (the one table in core/money.ts). */
export const minorDigits = currencyExponent;

/** "12.34" from 1234 (usd), "-5" from -5 (jpy). */
export const toDecimal = amountText;

/** 1234 usd → "$12.34" in the reader's language. */
export const formatMoney = (amount: number, currency: string): string => formatIn(amount, currency, getLocale());

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
