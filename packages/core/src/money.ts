// Money arithmetic shared by the server (which stores and charges the figures) and the widgets (which show the
// same figures live while an invoice is edited). No floats anywhere: amounts are integers of the currency's minor
// unit, quantities integers of thousandths, percentages integers of thousandths of a percent. Products go through
// BigInt so a large quantity times a large price never loses a cent.
//
// Rounding: half away from zero ("commercial" rounding, what people do by hand and what most tax authorities
// expect), applied once per line at each step (line amount, line discount, invoice-discount share, each tax), so a
// printed invoice adds up line by line.

/** Currencies whose minor unit is not a hundredth (ISO 4217). Everything else has exponent 2. The one table: the
 * server (billing, payments) and the widgets (billing, payments, opportunities) all read it. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The largest amount (in minor units) any figure may reach: stays a safe integer with room for sums. */
export const MAX_AMOUNT = 1_000_000_000_000_000;
/** Quantities are thousandths: 1 = 1000, 0.125 = 125. */
export const QUANTITY_SCALE = 1000;
export const MAX_QUANTITY = 1_000_000 * QUANTITY_SCALE;
/** Percentages are thousandths of a percent: 8.875 % = 8875, 100 % = 100000. */
export const PERCENT_SCALE = 1000;
export const FULL_PERCENT = 100 * PERCENT_SCALE;

export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code);

/** Digits after the decimal point of the currency's minor unit: JPY 0, USD 2, KWD 3. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** n × num / den rounded half away from zero, exactly (den > 0). */
export function mulDivRound(n: number, num: number, den: number): number {
  const p = BigInt(n) * BigInt(num);
  const d = BigInt(den);
  const neg = p < 0n;
  const a = neg ? -p : p;
  let q = a / d;
  if ((a % d) * 2n >= d) q += 1n;
  return Number(neg ? -q : q);
}

export type Discount = { kind: 'percent'; percent: number } | { kind: 'fixed'; amount: number };

export interface LineInput {
  /** Thousandths: 2.5 units = 2500. */
  quantity: number;
  /** Minor units per whole unit. */
  unitAmount: number;
  discount?: Discount | null;
  /** Ids of the invoice's tax rates that apply to this line. */
  taxIds?: readonly string[];
}

export interface TaxRate {
  id: string;
  name: string;
  /** Thousandths of a percent. */
  percent: number;
}

export interface InvoiceInput {
  lines: readonly LineInput[];
  discount?: Discount | null;
  taxes?: readonly TaxRate[];
}

export interface LineTotals {
  /** quantity × unit amount, rounded. */
  amount: number;
  /** The line's own discount. */
  discount: number;
  /** This line's share of the invoice-level discount. */
  invoiceDiscount: number;
  /** amount − discount − invoiceDiscount: what the taxes apply to. */
  taxable: number;
  /** Tax per rate id, rounded per line. */
  taxes: Record<string, number>;
  /** taxable + its taxes. */
  total: number;
}

export interface TaxTotal {
  id: string;
  name: string;
  percent: number;
  /** The sum of the taxable amounts of the lines it applies to. */
  taxable: number;
  amount: number;
}

export interface Totals {
  lines: LineTotals[];
  /** The lines' amounts before any discount. */
  subtotal: number;
  /** Line discounts plus the invoice discount. */
  discount: number;
  invoiceDiscount: number;
  taxes: TaxTotal[];
  tax: number;
  total: number;
}

export class MoneyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function discountOf(d: Discount | null | undefined, base: number, path: string): number {
  if (!d) return 0;
  if (d.kind === 'percent') {
    if (!Number.isInteger(d.percent) || d.percent < 0 || d.percent > FULL_PERCENT) throw new MoneyError(path, 'A percentage discount is between 0 and 100.');
    return mulDivRound(base, d.percent, FULL_PERCENT);
  }
  if (!Number.isSafeInteger(d.amount) || d.amount < 0) throw new MoneyError(path, 'A fixed discount is a positive amount.');
  // A fixed discount larger than what it applies to makes it free, never negative.
  return Math.min(d.amount, base);
}

/** Splits `amount` over `weights` in proportion, the rounding remainder going to the largest fractions first; the parts always add up to `amount`. */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const big = weights.map((w) => BigInt(amount) * BigInt(w));
  const parts = big.map((p) => Number(p / BigInt(sum)));
  const rest = big.map((p, i) => ({ i, r: p % BigInt(sum) }));
  let left = amount - parts.reduce((a, b) => a + b, 0);
  rest.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rest) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

function check(n: number, path: string, min: number, max: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new MoneyError(path, what);
}

/** The totals of an invoice: every figure an integer of minor units. Throws MoneyError (with the input path) on input out of range. */
export function computeTotals(input: InvoiceInput): Totals {
  const taxes = input.taxes ?? [];
  taxes.forEach((t, i) => check(t.percent, `taxes[${i}].percent`, 0, FULL_PERCENT, 'A tax rate is between 0 and 100 %.'));
  const known = new Set(taxes.map((t) => t.id));
  const firstPass = input.lines.map((l, i) => {
    check(l.quantity, `lines[${i}].quantity`, 0, MAX_QUANTITY, 'The quantity is between 0 and 1,000,000 with at most 3 decimals.');
    check(l.unitAmount, `lines[${i}].unitAmount`, 0, MAX_AMOUNT, 'The unit price is too large.');
    for (const id of l.taxIds ?? []) if (!known.has(id)) throw new MoneyError(`lines[${i}].taxIds`, `No tax rate "${id}" on this invoice.`);
    const amount = mulDivRound(l.quantity, l.unitAmount, QUANTITY_SCALE);
    check(amount, `lines[${i}].unitAmount`, 0, MAX_AMOUNT, 'The line amount is too large.');
    const discount = discountOf(l.discount, amount, `lines[${i}].discount`);
    return { amount, discount, net: amount - discount };
  });
  const nets = firstPass.map((l) => l.net);
  const netSum = nets.reduce((a, b) => a + b, 0);
  // The invoice discount is worked out on the whole, then shared over the lines by their net amounts so each
  // line's taxes apply to what is really charged for it.
  const invoiceDiscount = discountOf(input.discount, netSum, 'discount');
  const shares = allocate(invoiceDiscount, nets);
  const taxTotals = new Map(taxes.map((t) => [t.id, { id: t.id, name: t.name, percent: t.percent, taxable: 0, amount: 0 }]));
  const lines: LineTotals[] = firstPass.map((l, i) => {
    const share = shares[i] ?? 0;
    const taxable = l.net - share;
    const lineTaxes: Record<string, number> = {};
    for (const id of new Set(input.lines[i]?.taxIds ?? [])) {
      const total = taxTotals.get(id)!;
      const amount = mulDivRound(taxable, total.percent, FULL_PERCENT);
      lineTaxes[id] = amount;
      total.taxable += taxable;
      total.amount += amount;
    }
    const tax = Object.values(lineTaxes).reduce((a, b) => a + b, 0);
    return { amount: l.amount, discount: l.discount, invoiceDiscount: share, taxable, taxes: lineTaxes, total: taxable + tax };
  });
  const subtotal = lines.reduce((a, l) => a + l.amount, 0);
  const discount = lines.reduce((a, l) => a + l.discount, 0) + invoiceDiscount;
  const taxList = [...taxTotals.values()];
  const tax = taxList.reduce((a, t) => a + t.amount, 0);
  const total = subtotal - discount + tax;
  check(total, 'lines', 0, MAX_AMOUNT, 'The invoice total is too large.');
  return { lines, subtotal, discount, invoiceDiscount, taxes: taxList, tax, total };
}

const DECIMAL = /^(\d+)(?:[.,](\d*))?$/;

function parseScaled(text: string, digits: number): number | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const n = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(n) ? n : null;
}

/** "12.5" in USD → 1250; null when it is no amount or has more decimals than the currency has. */
export const parseAmount = (text: string, currency: string): number | null => parseScaled(text, currencyExponent(currency));
/** "2.5" → 2500 thousandths; null past 3 decimals. */
export const parseQuantity = (text: string): number | null => parseScaled(text, 3);
/** "8.875" (percent) → 8875; null past 3 decimals. */
export const parsePercent = (text: string): number | null => parseScaled(text, 3);

function scaledText(n: number, digits: number, trim: boolean): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(digits + 1, '0');
  let int = s.slice(0, s.length - digits);
  let frac = digits ? s.slice(s.length - digits) : '';
  if (trim) frac = frac.replace(/0+$/, '');
  int = (neg ? '-' : '') + int;
  return frac ? `${int}.${frac}` : int;
}

/** 1250 USD → "12.50" (the plain decimal, for inputs and the wire). */
export const amountText = (minor: number, currency: string): string => scaledText(minor, currencyExponent(currency), false);
/** 2500 → "2.5". */
export const quantityText = (q: number): string => scaledText(q, 3, true);
/** 8875 → "8.875". */
export const percentText = (p: number): string => scaledText(p, 3, true);

/** 1250 USD in `locale` → "$12.50"; exact (Intl formats the decimal string, no float in between). */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const digits = currencyExponent(currency);
  try {
    const nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    return nf.format(amountText(minor, currency) as unknown as number);
  } catch {
    // A code Intl does not know: the exact decimal and the code.
    return `${amountText(minor, currency)} ${currency.toUpperCase()}`;
  }
}
