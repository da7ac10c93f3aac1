import { badRequest } from './errors.js';

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A NUL or a lone surrogate: no stored text has one, and PostgreSQL refuses them (a 500 rather than a 400). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether every string and number inside a decoded cursor is one the database can compare with: text without NUL or
 * lone surrogates, numbers that are safe integers (timestamps, counts, positions) — or, with `fractional`, any
 * finite number (a custom number field's value).
 */
function storable(value: unknown, fractional: boolean): boolean {
  if (typeof value === 'string') return !UNSTORABLE.test(value);
  if (typeof value === 'number') return fractional ? Number.isFinite(value) : Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every((v) => storable(v, fractional));
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => storable(k, fractional) && storable(v, fractional));
  return true;
}

/**
 * Decodes a cursor a client sent back; a forged or damaged one is a 400 `bad_request`, never a query error. Numbers
 * must be safe integers unless `fractional` (then the caller checks what its sort needs).
 */
export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T, field = 'cursor', opts: { fractional?: boolean } = {}): T | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (storable(value, opts.fractional ?? false) && check(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw badRequest('The cursor is not valid; start again without one.', { field });
}
