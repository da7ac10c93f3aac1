// Money on the wire and at rest: integer minor units (cents) and an ISO 4217 code in lower case (as Stripe has it).
// Exponents and decimal text: packages/core/src/money.ts (one table for billing, payments and the widgets).

const KNOWN = new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase()));
export const isCurrency = (code: string) => KNOWN.has(code);

/** Largest amount one charge may carry (Stripe's limit for most currencies: 999,999.99). */
export const MAX_AMOUNT = 99_999_999;
