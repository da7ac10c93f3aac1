import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allocate,
  amountText,
  computeTotals,
  currencyExponent,
  formatMoney,
  MoneyError,
  mulDivRound,
  parseAmount,
  parsePercent,
  parseQuantity,
  percentText,
  quantityText,
  type InvoiceInput,
} from '../../../../packages/core/src/money.js';

// The shared money module (packages/core/src/money.ts): exact integer arithmetic, half-away-from-zero rounding per line.
describe('money', () => {
  it('knows each currency exponent', () => {
    for (const [cur, exp] of [['USD', 2], ['EUR', 2], ['JPY', 0], ['KRW', 0], ['KWD', 3], ['BHD', 3], ['jpy', 0], ['XYZ', 2]] as const) assert.equal(currencyExponent(cur), exp, cur);
  });

  it('rounds half away from zero, exactly', () => {
    const table: [number, number, number, number][] = [
      // n, num, den, expected
      [5, 1, 10, 1], // 0.5 → 1
      [4, 1, 10, 0], // 0.4 → 0
      [15, 1, 10, 2], // 1.5 → 2
      [25, 1, 10, 3], // 2.5 → 3 (not banker's 2)
      [-25, 1, 10, -3],
      [-24, 1, 10, -2],
      [1, 1, 3, 0],
      [2, 1, 3, 1],
      [999_999_999_999, 999_999, 1000, 999_998_999_999_000], // past 2^53 in the product, exact by BigInt
    ];
    for (const [n, num, den, want] of table) assert.equal(mulDivRound(n, num, den), want, `${n}×${num}/${den}`);
  });

  it('allocates a remainder so the parts add up', () => {
    const table: [number, number[], number[]][] = [
      [100, [1, 1, 1], [34, 33, 33]],
      [10, [3, 3, 4], [3, 3, 4]],
      [1, [1, 1], [1, 0]],
      [0, [5, 5], [0, 0]],
      [7, [0, 0], [0, 0]],
      [5, [0, 10], [0, 5]],
    ];
    for (const [amount, weights, want] of table) {
      const got = allocate(amount, weights);
      assert.deepEqual(got, want, `${amount} over ${weights}`);
      if (weights.some((w) => w > 0)) assert.equal(got.reduce((a, b) => a + b, 0), amount);
    }
  });

  const vat = { id: 'vat', name: 'VAT', percent: 20_000 };
  const state = { id: 'st', name: 'State tax', percent: 8_875 };
  const city = { id: 'city', name: 'City tax', percent: 4_500 };

  // Each row: an invoice and its expected subtotal, discount, tax, total (minor units).
  const cases: { name: string; input: InvoiceInput; want: { subtotal: number; discount: number; tax: number; total: number } }[] = [
    { name: 'one line, no extras', input: { lines: [{ quantity: 1000, unitAmount: 1999 }] }, want: { subtotal: 1999, discount: 0, tax: 0, total: 1999 } },
    { name: 'fractional quantity rounds the line half up', input: { lines: [{ quantity: 1500, unitAmount: 333 }] }, want: { subtotal: 500, discount: 0, tax: 0, total: 500 } }, // 499.5 → 500
    { name: 'quantity with 3 decimals', input: { lines: [{ quantity: 125, unitAmount: 1000 }] }, want: { subtotal: 125, discount: 0, tax: 0, total: 125 } },
    { name: 'zero quantity', input: { lines: [{ quantity: 0, unitAmount: 5000 }] }, want: { subtotal: 0, discount: 0, tax: 0, total: 0 } },
    { name: 'no lines', input: { lines: [] }, want: { subtotal: 0, discount: 0, tax: 0, total: 0 } },
    { name: 'JPY: exponent 0, tax rounds to whole yen', input: { lines: [{ quantity: 3000, unitAmount: 333, taxIds: ['c'] }], taxes: [{ id: 'c', name: 'Consumption', percent: 10_000 }] }, want: { subtotal: 999, discount: 0, tax: 100, total: 1099 } }, // 99.9 → 100
    { name: 'KWD: exponent 3', input: { lines: [{ quantity: 2000, unitAmount: 1_250, taxIds: ['vat'] }], taxes: [{ id: 'vat', name: 'VAT', percent: 5_000 }] }, want: { subtotal: 2_500, discount: 0, tax: 125, total: 2_625 } },
    { name: 'percent line discount', input: { lines: [{ quantity: 1000, unitAmount: 1000, discount: { kind: 'percent', percent: 15_000 } }] }, want: { subtotal: 1000, discount: 150, tax: 0, total: 850 } },
    { name: 'percent discount rounds half up', input: { lines: [{ quantity: 1000, unitAmount: 5, discount: { kind: 'percent', percent: 50_000 } }] }, want: { subtotal: 5, discount: 3, tax: 0, total: 2 } }, // 2.5 → 3
    { name: 'fixed line discount', input: { lines: [{ quantity: 2000, unitAmount: 1000, discount: { kind: 'fixed', amount: 300 } }] }, want: { subtotal: 2000, discount: 300, tax: 0, total: 1700 } },
    { name: 'fixed discount larger than the line makes it free', input: { lines: [{ quantity: 1000, unitAmount: 1000, discount: { kind: 'fixed', amount: 5000 } }] }, want: { subtotal: 1000, discount: 1000, tax: 0, total: 0 } },
    { name: '100 % discount, taxed line: no tax', input: { lines: [{ quantity: 1000, unitAmount: 4999, discount: { kind: 'percent', percent: 100_000 }, taxIds: ['vat'] }], taxes: [vat] }, want: { subtotal: 4999, discount: 4999, tax: 0, total: 0 } },
    { name: '100 % invoice discount', input: { lines: [{ quantity: 1000, unitAmount: 1000, taxIds: ['vat'] }, { quantity: 1000, unitAmount: 2000 }], discount: { kind: 'percent', percent: 100_000 }, taxes: [vat] }, want: { subtotal: 3000, discount: 3000, tax: 0, total: 0 } },
    { name: 'tax applies after the line discount', input: { lines: [{ quantity: 1000, unitAmount: 10_000, discount: { kind: 'percent', percent: 10_000 }, taxIds: ['vat'] }], taxes: [vat] }, want: { subtotal: 10_000, discount: 1_000, tax: 1_800, total: 10_800 } },
    { name: 'two taxes on one line, each rounded', input: { lines: [{ quantity: 1000, unitAmount: 1_001, taxIds: ['st', 'city'] }], taxes: [state, city] }, want: { subtotal: 1_001, discount: 0, tax: 89 + 45, total: 1_135 } }, // 88.83875→89, 45.045→45
    { name: 'taxes rounded per line, not on the sum', input: { lines: [{ quantity: 1000, unitAmount: 5, taxIds: ['vat'] }, { quantity: 1000, unitAmount: 5, taxIds: ['vat'] }, { quantity: 1000, unitAmount: 5, taxIds: ['vat'] }], taxes: [{ id: 'vat', name: 'VAT', percent: 10_000 }] }, want: { subtotal: 15, discount: 0, tax: 3, total: 18 } }, // 0.5→1 thrice
    { name: 'an untaxed line beside a taxed one', input: { lines: [{ quantity: 1000, unitAmount: 1000, taxIds: ['vat'] }, { quantity: 1000, unitAmount: 1000 }], taxes: [vat] }, want: { subtotal: 2000, discount: 0, tax: 200, total: 2200 } },
    { name: 'fixed invoice discount shared by net amounts, taxed on the share', input: { lines: [{ quantity: 1000, unitAmount: 3000, taxIds: ['vat'] }, { quantity: 1000, unitAmount: 1000 }], discount: { kind: 'fixed', amount: 1000 }, taxes: [vat] }, want: { subtotal: 4000, discount: 1000, tax: 450, total: 3450 } }, // share 750/250; 2250×20%
    { name: 'invoice discount larger than the lines', input: { lines: [{ quantity: 1000, unitAmount: 500 }], discount: { kind: 'fixed', amount: 9999 } }, want: { subtotal: 500, discount: 500, tax: 0, total: 0 } },
    { name: 'line and invoice discounts together', input: { lines: [{ quantity: 1000, unitAmount: 10_000, discount: { kind: 'fixed', amount: 1_000 }, taxIds: ['vat'] }], discount: { kind: 'percent', percent: 10_000 }, taxes: [vat] }, want: { subtotal: 10_000, discount: 1_900, tax: 1_620, total: 9_720 } },
    { name: 'percent invoice discount rounds on the whole, then shares', input: { lines: [{ quantity: 1000, unitAmount: 5 }, { quantity: 1000, unitAmount: 5 }, { quantity: 1000, unitAmount: 5 }], discount: { kind: 'percent', percent: 10_000 } }, want: { subtotal: 15, discount: 2, tax: 0, total: 13 } }, // 1.5 → 2
    { name: 'large figures stay exact', input: { lines: [{ quantity: 999_999_000, unitAmount: 999_999_999 }] }, want: { subtotal: 999_998_999_000_001, discount: 0, tax: 0, total: 999_998_999_000_001 } },
  ];
  for (const c of cases) {
    it(`totals: ${c.name}`, () => {
      const got = computeTotals(c.input);
      assert.deepEqual({ subtotal: got.subtotal, discount: got.discount, tax: got.tax, total: got.total }, c.want);
      // The lines always add up to the totals.
      assert.equal(got.lines.reduce((a, l) => a + l.total, 0), got.total);
      assert.equal(got.taxes.reduce((a, t) => a + t.amount, 0), got.tax);
    });
  }

  it('totals per tax rate name the taxable base', () => {
    const got = computeTotals({ lines: [{ quantity: 2000, unitAmount: 1000, taxIds: ['vat', 'st'] }, { quantity: 1000, unitAmount: 500, taxIds: ['st'] }], taxes: [vat, state] });
    assert.deepEqual(got.taxes, [
      { id: 'vat', name: 'VAT', percent: 20_000, taxable: 2000, amount: 400 },
      { id: 'st', name: 'State tax', percent: 8_875, taxable: 2500, amount: 178 + 44 }, // 177.5→178, 44.375→44
    ]);
  });

  it('refuses input out of range with the path of the field', () => {
    const bad: [InvoiceInput, string][] = [
      [{ lines: [{ quantity: -1, unitAmount: 1 }] }, 'lines[0].quantity'],
      [{ lines: [{ quantity: 1.5, unitAmount: 1 }] }, 'lines[0].quantity'],
      [{ lines: [{ quantity: 1000, unitAmount: 0.5 }] }, 'lines[0].unitAmount'],
      [{ lines: [{ quantity: 1000, unitAmount: -100 }] }, 'lines[0].unitAmount'],
      [{ lines: [{ quantity: 1000, unitAmount: 1, discount: { kind: 'percent', percent: 100_001 } }] }, 'lines[0].discount'],
      [{ lines: [{ quantity: 1000, unitAmount: 1, discount: { kind: 'fixed', amount: -1 } }] }, 'lines[0].discount'],
      [{ lines: [{ quantity: 1000, unitAmount: 1, taxIds: ['nope'] }] }, 'lines[0].taxIds'],
      [{ lines: [], taxes: [{ id: 'x', name: 'X', percent: 100_001 }] }, 'taxes[0].percent'],
      [{ lines: [], discount: { kind: 'percent', percent: -1 } }, 'discount'],
    ];
    for (const [input, path] of bad) assert.throws(() => computeTotals(input), (e: unknown) => e instanceof MoneyError && e.path === path, path);
  });

  it('parses and prints decimals by the currency exponent', () => {
    const table: [string, string, number | null][] = [
      ['12.34', 'USD', 1234],
      ['12', 'USD', 1200],
      ['12.3', 'USD', 1230],
      ['12,5', 'EUR', 1250],
      ['0.001', 'USD', null],
      ['1200', 'JPY', 1200],
      ['12.5', 'JPY', null],
      ['1.234', 'KWD', 1234],
      ['-1', 'USD', null],
      ['abc', 'USD', null],
      ['', 'USD', null],
    ];
    for (const [text, cur, want] of table) assert.equal(parseAmount(text, cur), want, `${text} ${cur}`);
    assert.equal(parseQuantity('2.5'), 2500);
    assert.equal(parseQuantity('0.125'), 125);
    assert.equal(parseQuantity('0.0001'), null);
    assert.equal(parsePercent('8.875'), 8875);
    assert.equal(amountText(1234, 'USD'), '12.34');
    assert.equal(amountText(5, 'USD'), '0.05');
    assert.equal(amountText(1200, 'JPY'), '1200');
    assert.equal(amountText(1234, 'KWD'), '1.234');
    assert.equal(quantityText(2500), '2.5');
    assert.equal(quantityText(1000), '1');
    assert.equal(percentText(8875), '8.875');
    assert.equal(percentText(20000), '20');
  });

  it('formats money exactly in the locale', () => {
    assert.equal(formatMoney(123456, 'USD', 'en-US'), '$1,234.56');
    assert.equal(formatMoney(1200, 'JPY', 'en-US'), '¥1,200');
    assert.match(formatMoney(1234, 'KWD', 'en-US'), /^KWD\s1\.234$/);
    assert.equal(formatMoney(999_998_999_000_001, 'USD', 'en-US'), '$9,999,989,990,000.01');
    assert.match(formatMoney(123456, 'EUR', 'de-DE'), /^1\.234,56\s€$/);
  });
});
