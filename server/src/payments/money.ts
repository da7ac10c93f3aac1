// Money on the wire and at rest: integer minor units (cents) and an ISO 4217 code in lower case (as Stripe has it).

/** Currencies whose minor unit is the unit itself (Stripe's zero-decimal list) or a thousandth (three-decimal). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export const minorDigits = (currency: string) => (ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2);

const KNOWN = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));
export const isCurrency = (code: string) => KNOWN.has(code);

/** Largest amount one charge may carry (Stripe's limit for most currencies: 999,999.99). */
export const MAX_AMOUNT = 99_999_999;

/** "12.34 usd" for logs and audit text: exact, from the integer (no float on the way). */
export function decimal(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  return digits ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
}
