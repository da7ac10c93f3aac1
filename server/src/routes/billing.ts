import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { invoicePayload, signPayload } from '../domain/signed-links.js';
import type { CardCharger } from '../domain/billing/charger.js';
import { Invoices, MAX_LINE_TEXT, MAX_LINES, MAX_NOTES, type InvoiceJson } from '../domain/billing/invoices.js';
import { Products, type ProductJson } from '../domain/billing/products.js';
import { Subscriptions, type SubscriptionJson } from '../domain/billing/subscriptions.js';
import { assertManagePayments } from '../payments/payments.js';
import type { Env } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { publicOrigin } from './share-links.js';
import { MAX_AMOUNT, isCurrency } from '../../../packages/core/src/money.js';

const id = z.string().min(1).max(64);
const idParam = z.object({ id });
const invoiceParam = z.object({ id, invoiceId: id });
const subscriptionParam = z.object({ id, subscriptionId: id });
const productParam = z.object({ id });
// Milliseconds since the epoch (UTC); between 2000 and 2200.
const instant = z.number().int().min(946_684_800_000).max(7_258_118_400_000);
const currency = z.string().refine(isCurrency, 'A three-letter ISO 4217 code in capitals, e.g. USD.');
const amount = z.number().int('An amount is an integer of the currency’s minor unit (cents).').min(0).max(MAX_AMOUNT);
const decimal = (what: string) => z.string().trim().regex(/^\d{1,9}(\.\d{1,3})?$/, `${what}: a decimal with at most 3 decimals, e.g. "1.5".`);
const percent = decimal('A percentage').refine((v) => Number(v.split('.')[0]) <= 100 && !(Number(v.split('.')[0]) === 100 && /[1-9]/.test(v.split('.')[1] ?? '')), 'A percentage is at most 100.');
const discount = z.union([z.object({ percent }).strict(), z.object({ amount }).strict()]).nullable();
const channel = z.enum(['email', 'sms', 'whatsapp']);

const productFields = {
  name: z.string().trim().min(1, 'Give the product a name.').max(200),
  description: z.string().trim().max(2000),
  unitAmount: amount,
  currency,
  kind: z.enum(['one_off', 'recurring']),
  interval: z.enum(['month', 'year']),
  intervalCount: z.number().int().min(1).max(36),
};
const productCreate = z.object({ ...productFields, description: productFields.description.optional(), interval: productFields.interval.optional(), intervalCount: productFields.intervalCount.optional() }).strict();
const productPatch = z
  .object({ ...Object.fromEntries(Object.entries(productFields).map(([k, v]) => [k, v.optional()])), archived: z.boolean().optional() } as { [K in keyof typeof productFields]: z.ZodOptional<(typeof productFields)[K]> } & { archived: z.ZodOptional<z.ZodBoolean> })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
const productsQuery = z.object({ archived: z.enum(['true', 'false']).default('false') }).strict();

const address = z
  .object({ line1: z.string().max(200).nullable(), line2: z.string().max(200).nullable(), city: z.string().max(100).nullable(), region: z.string().max(100).nullable(), postalCode: z.string().max(20).nullable(), country: z.string().max(100).nullable() })
  .partial()
  .strict();
const invoiceBody = z
  .object({
    currency,
    billTo: z.object({ name: z.string().trim().min(1).max(200), email: z.email().max(254).nullable(), address: address.nullable() }).partial().strict().optional(),
    lines: z
      .array(
        z
          .object({
            productId: id.optional(),
            description: z.string().trim().min(1).max(MAX_LINE_TEXT).optional(),
            quantity: decimal('A quantity').optional(),
            unitAmount: amount.optional(),
            discount: discount.optional(),
            taxIds: z.array(z.string().min(1).max(40)).max(5).optional(),
          })
          .strict(),
      )
      .min(1, 'Add at least one line.')
      .max(MAX_LINES),
    taxes: z.array(z.object({ id: z.string().min(1).max(40), name: z.string().trim().min(1).max(100), percent }).strict()).max(10).optional(),
    discount: discount.optional(),
    dueAt: instant,
    notes: z.string().trim().max(MAX_NOTES).optional(),
  })
  .strict();
const sendBody = z.object({ channel }).strict();
const payBody = z.discriminatedUnion('method', [
  z.object({ method: z.literal('manual'), note: z.string().trim().min(1, 'Say how it was paid (bank transfer, cash…).').max(500) }).strict(),
  z.object({ method: z.literal('card'), paymentMethodId: id }).strict(),
]);
const subscriptionBody = z.object({ productId: id, quantity: decimal('A quantity').optional(), startAt: instant, paymentMethodId: id }).strict();

// What the routes answer.
const productJson = z
  .object({ id: z.string(), name: z.string(), description: z.string(), unitAmount: z.number().int(), currency: z.string(), kind: z.enum(['one_off', 'recurring']), interval: z.enum(['month', 'year']).nullable(), intervalCount: z.number().int().nullable(), archived: z.boolean(), createdAt: z.number(), updatedAt: z.number() })
  .strict();
sameShape<SameShape<z.output<typeof productJson>, ProductJson>>();
const discountJson = z.union([z.object({ percent: z.string() }).strict(), z.object({ amount: z.number().int() }).strict()]).nullable();
const addressJson = z.object({ line1: z.string().nullable(), line2: z.string().nullable(), city: z.string().nullable(), region: z.string().nullable(), postalCode: z.string().nullable(), country: z.string().nullable() }).partial().strict();
const invoiceJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    number: z.string(),
    status: z.enum(['draft', 'sent', 'paid', 'void']),
    currency: z.string(),
    billTo: z.object({ name: z.string(), email: z.string().nullable(), address: addressJson.nullable() }).strict(),
    lines: z.array(
      z
        .object({
          productId: z.string().nullable(),
          description: z.string(),
          quantity: z.string(),
          unitAmount: z.number().int(),
          discount: discountJson,
          taxIds: z.array(z.string()),
          amount: z.number().int(),
          discountAmount: z.number().int(),
          invoiceDiscountAmount: z.number().int(),
          taxAmount: z.number().int(),
          total: z.number().int(),
        })
        .strict(),
    ),
    taxes: z.array(z.object({ id: z.string(), name: z.string(), percent: z.string(), taxable: z.number().int(), amount: z.number().int() }).strict()),
    discount: discountJson,
    subtotal: z.number().int(),
    discountTotal: z.number().int(),
    taxTotal: z.number().int(),
    total: z.number().int(),
    dueAt: z.number(),
    notes: z.string(),
    sentChannel: channel.nullable(),
    sentAt: z.number().nullable(),
    hostedUrl: z.string().nullable(),
    paidAt: z.number().nullable(),
    paidMethod: z.enum(['card', 'manual']).nullable(),
    paidNote: z.string().nullable(),
    chargeId: z.string().nullable(),
    voidedAt: z.number().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof invoiceJson>, InvoiceJson>>();
const subscriptionJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    productId: z.string(),
    description: z.string(),
    quantity: z.string(),
    unitAmount: z.number().int(),
    amount: z.number().int(),
    currency: z.string(),
    interval: z.enum(['month', 'year']),
    intervalCount: z.number().int(),
    startAt: z.number(),
    nextBillAt: z.number().nullable(),
    periodsBilled: z.number().int(),
    status: z.enum(['scheduled', 'active', 'past_due', 'cancelled']),
    paymentMethodId: z.string(),
    lastError: z.string().nullable(),
    retryAt: z.number().nullable(),
    cancelledAt: z.number().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof subscriptionJson>, SubscriptionJson>>();
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) }).strict();

const writeErrors = documents({ errors: { 409: ['contact_deleted', 'conflict'], 422: ['invalid_field'] } });
const payErrors = documents({ errors: { 402: ['card_declined'], 409: ['contact_deleted', 'conflict'], 422: ['invalid_field'] } });

/** The hosted page of an invoice lives a year from its first send. */
export const HOSTED_LINK_SECONDS = 365 * 86_400;

/** /api/v1/products — the workspace's price list: everyone reads it, payments.manage changes it. */
export function productRoutes(deps: AppDeps) {
  const products = new Products(deps.db);
  return new Hono<Env>()
    .get('/', responds(200, list(productJson)), validate('query', productsQuery), async (c) => c.json({ items: await products.list(c.var.caller, { archived: c.req.valid('query').archived === 'true' }) }))
    .post('/', responds(201, productJson, 'The product created.'), documents({ errors: { 422: ['invalid_field'] } }), validate('json', productCreate), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      return c.json(await products.create(c.var.caller, c.req.valid('json'), deps.clock.now()), 201);
    })
    .patch('/:id', responds(200, productJson, 'The product as it is now.'), documents({ errors: { 422: ['invalid_field'] } }), validate('param', productParam), validate('json', productPatch), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      return c.json(await products.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), deps.clock.now()));
    });
}

/** /api/v1/contacts/:id/invoices and /subscriptions — a contact's invoices and subscriptions. */
export function contactBillingRoutes(deps: AppDeps, cards: CardCharger) {
  const { db, clock } = deps;
  const invoices = new Invoices(db, deps.events);
  const subscriptions = new Subscriptions(db, deps.events, cards);
  const origin = publicOrigin(deps);
  const hostedUrl = (requestUrl: string, workspaceId: string) => (invoiceId: string, sentAt: number) => {
    const exp = Math.floor(sentAt / 1000) + HOSTED_LINK_SECONDS;
    const sig = signPayload(deps.secrets.tokenSecret, invoicePayload(workspaceId, invoiceId), exp);
    return `${origin(requestUrl)}/invoices/${workspaceId}/${invoiceId}?exp=${exp}&sig=${sig}`;
  };
  return new Hono<Env>()
    .get('/:id/invoices', responds(200, list(invoiceJson)), validate('param', idParam), async (c) => c.json({ items: await invoices.list(c.var.caller, c.req.valid('param').id) }))
    .get('/:id/invoices/:invoiceId', responds(200, invoiceJson), validate('param', invoiceParam), async (c) => {
      const p = c.req.valid('param');
      return c.json(await invoices.get(c.var.caller, p.id, p.invoiceId));
    })
    .post('/:id/invoices', responds(201, invoiceJson, 'The draft invoice.'), writeErrors, validate('param', idParam), validate('json', invoiceBody), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      return c.json(await invoices.create(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .put('/:id/invoices/:invoiceId', responds(200, invoiceJson, 'The draft as it is now.'), writeErrors, validate('param', invoiceParam), validate('json', invoiceBody), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      const p = c.req.valid('param');
      return c.json(await invoices.update(c.var.caller, p.id, p.invoiceId, c.req.valid('json'), clock.now()));
    })
    .post('/:id/invoices/:invoiceId/send', responds(200, invoiceJson, 'The invoice, sent (its hostedUrl is the link to deliver).'), writeErrors, validate('param', invoiceParam), validate('json', sendBody), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      const p = c.req.valid('param');
      return c.json(await invoices.send(c.var.caller, p.id, p.invoiceId, c.req.valid('json').channel, clock.now(), hostedUrl(c.req.url, c.var.caller.workspace.id)));
    })
    .post('/:id/invoices/:invoiceId/pay', responds(200, invoiceJson, 'The invoice, paid.'), payErrors, validate('param', invoiceParam), validate('json', payBody), async (c) => {
      const caller = c.var.caller;
      await assertManagePayments(deps.db, caller);
      const p = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.method === 'manual') return c.json(await invoices.markPaid(caller, p.id, p.invoiceId, body, clock.now()));
      const row = await invoices.payable(caller, p.id, p.invoiceId);
      await cards.assertCard(caller.workspace.id, p.id, body.paymentMethodId, 'paymentMethodId');
      // One key per invoice and card: a retried request never charges twice.
      const result = await cards.charge({ workspaceId: caller.workspace.id, contactId: p.id, paymentMethodId: body.paymentMethodId, amount: row.total, currency: row.currency, description: `Invoice ${row.number}`, idempotencyKey: `${row.id}:${body.paymentMethodId}`, ref: { invoiceId: row.id } });
      if (!result.ok) throw new ApiError(402, 'card_declined', result.reason, { code: result.code });
      return c.json(await invoices.markPaid(caller, p.id, p.invoiceId, { method: 'card', chargeId: result.chargeId }, clock.now()));
    })
    .post('/:id/invoices/:invoiceId/void', responds(200, invoiceJson, 'The invoice, void.'), writeErrors, validate('param', invoiceParam), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      const p = c.req.valid('param');
      return c.json(await invoices.void(c.var.caller, p.id, p.invoiceId, clock.now()));
    })
    .get('/:id/subscriptions', responds(200, list(subscriptionJson)), validate('param', idParam), async (c) => c.json({ items: await subscriptions.list(c.var.caller, c.req.valid('param').id) }))
    .post('/:id/subscriptions', responds(201, subscriptionJson, 'The subscription, scheduled.'), writeErrors, validate('param', idParam), validate('json', subscriptionBody), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      return c.json(await subscriptions.create(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .post('/:id/subscriptions/:subscriptionId/cancel', responds(200, subscriptionJson, 'The subscription, cancelled.'), writeErrors, validate('param', subscriptionParam), async (c) => {
      await assertManagePayments(deps.db, c.var.caller);
      const p = c.req.valid('param');
      return c.json(await subscriptions.cancel(c.var.caller, p.id, p.subscriptionId, clock.now()));
    });
}
