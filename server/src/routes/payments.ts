import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Payments, type CardJson, type ChargeJson, type LedgerCursor, type LedgerEntryJson, type RefundJson } from '../payments/payments.js';
import { isCurrency, MAX_AMOUNT } from '../payments/money.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { ApiError, notFound } from '../http/errors.js';
import { acceptsBody, documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { cursorPage } from '../openapi/schemas/common.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const cardParam = z.object({ id: z.string().min(1).max(64), cardId: z.string().min(1).max(64) });
const chargeParam = z.object({ id: z.string().min(1).max(64), chargeId: z.string().min(1).max(64) });
/** Integer minor units (cents): 1 to 99,999,999. */
const amount = z.number().int('Send the amount in minor units (cents), a whole number.').min(1, 'The amount must be at least 1 minor unit.').max(MAX_AMOUNT);
const currency = z
  .string()
  .trim()
  .toLowerCase()
  .refine((c) => /^[a-z]{3}$/.test(c) && isCurrency(c), 'Send an ISO 4217 currency code, e.g. usd or eur.');
const idempotencyKey = z.string().trim().min(8, 'Send an idempotency key of 8 to 100 characters, new for each attempt.').max(100);
const label = z.string().trim().max(60);

const setupBody = z.object({}).strict();
const addCardBody = z.object({ setupIntentId: z.string().min(1).max(200), paymentMethodId: z.string().min(1).max(500).optional(), label: label.optional(), makeDefault: z.boolean().optional() }).strict();
const patchCardBody = z
  .object({ label: label.optional(), isDefault: z.literal(true).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send label or isDefault.');
const chargeBody = z.object({ cardId: z.string().min(1).max(64), amount, currency, description: z.string().trim().max(500).optional(), idempotencyKey }).strict();
const refundBody = z.object({ amount: amount.optional(), reason: z.string().trim().max(500).optional(), idempotencyKey }).strict();
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(500).optional() }).strict();
const grantParam = z.object({ memberId: z.string().min(1).max(64) });

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const cardJson = z.object({ id: z.string(), contactId: z.string(), brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int(), label: z.string(), isDefault: z.boolean(), createdAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof cardJson>, CardJson>>();
const chargeJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    card: z.object({ id: z.string(), brand: z.string(), last4: z.string() }).strict().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    description: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    failure: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    amountRefunded: z.number().int(),
    source: z.string(),
    sourceId: z.string().nullable(),
    createdAt: z.number(),
  })
  .strict();
sameShape<SameShape<z.output<typeof chargeJson>, ChargeJson>>();
const refundJson = z.object({ id: z.string(), chargeId: z.string(), amount: z.number().int(), currency: z.string(), reason: z.string(), status: z.enum(['pending', 'succeeded', 'failed']), createdAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof refundJson>, RefundJson>>();
const ledgerJson = z
  .object({ id: z.string(), kind: z.string(), amount: z.number().int(), currency: z.string(), description: z.string(), chargeId: z.string().nullable(), refundId: z.string().nullable(), refType: z.string().nullable(), refId: z.string().nullable(), occurredAt: z.number(), charge: chargeJson.nullable() })
  .strict();
sameShape<SameShape<z.output<typeof ledgerJson>, LedgerEntryJson>>();
const collection = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('stripe'), publishableKey: z.string(), stripeJsUrl: z.string() }).strict(),
  z.object({ provider: z.literal('test'), tokenizeUrl: z.string() }).strict(),
]);
const configJson = z.object({ provider: collection.nullable(), canManage: z.boolean() }).strict();
const setupJson = z.object({ setupIntentId: z.string(), clientSecret: z.string(), collection }).strict();
const cardList = z.object({ items: z.array(cardJson) }).strict();
const historyPage = cursorPage(ledgerJson);
const grantJson = z.object({ memberId: z.string(), permission: z.literal('payments.manage'), granted: z.boolean() }).strict();
const webhookAnswer = z.object({ received: z.literal(true), duplicate: z.boolean(), applied: z.boolean() }).strict();

/** No provider configured (503); the provider refused or is unreachable (502); the contact is in the restore bin (409). */
const providerErrors = documents({ errors: { 409: ['contact_deleted'], 422: ['invalid_field'], 502: ['provider_error'], 503: ['payments_not_configured'] } });
const chargeErrors = documents({ errors: { 402: ['card_declined'], 409: ['contact_deleted', 'idempotency_key_reused'], 422: ['invalid_field'], 502: ['provider_error'], 503: ['payments_not_configured'] } });
const refundErrors = documents({ errors: { 409: ['contact_deleted', 'idempotency_key_reused', 'not_refundable'], 422: ['invalid_field'], 502: ['provider_error'], 503: ['payments_not_configured'] } });

const isCursor = (v: unknown): v is LedgerCursor => Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && typeof v[1] === 'number' && typeof v[2] === 'string';

/** A path like /test-provider/v1/tokens is the server's own: the browser (on the host's origin) needs it whole. */
function absolute<T extends { provider: string }>(collection: T, origin: string): T {
  const c = collection as T & { tokenizeUrl?: string };
  return c.tokenizeUrl?.startsWith('/') ? { ...c, tokenizeUrl: `${origin}${c.tokenizeUrl}` } : c;
}

/** /api/v1/contacts/:id/payments — a contact's cards on file, charges, refunds and ledger. */
export function contactPaymentRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const payments = new Payments(db, deps.payments, deps.events);
  const origin = (url: string) => deps.config?.publicUrl ?? new URL(url).origin;
  return new Hono<Env>()
    .get('/:id/payments/cards', responds(200, cardList), validate('param', idParam), async (c) => c.json({ items: await payments.listCards(c.var.caller, c.req.valid('param').id) }))
    .post('/:id/payments/cards/setup', responds(201, setupJson, 'A setup intent: the browser confirms its client secret with the provider.'), providerErrors, validate('param', idParam), validate('json', setupBody), async (c) => {
      const out = await payments.startSetup(c.var.caller, c.req.valid('param').id, clock.now());
      return c.json({ ...out, collection: absolute(out.collection, origin(c.req.url)) }, 201);
    })
    .post('/:id/payments/cards', responds(201, cardJson, 'The card saved.'), providerErrors, validate('param', idParam), validate('json', addCardBody), async (c) =>
      c.json(await payments.addCard(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201),
    )
    .patch('/:id/payments/cards/:cardId', responds(200, cardJson, 'The card as it is now.'), providerErrors, validate('param', cardParam), validate('json', patchCardBody), async (c) => {
      const { id, cardId } = c.req.valid('param');
      return c.json(await payments.updateCard(c.var.caller, id, cardId, c.req.valid('json'), clock.now()));
    })
    .delete('/:id/payments/cards/:cardId', responds(200, cardJson, 'The card removed (detached at the provider).'), providerErrors, validate('param', cardParam), async (c) => {
      const { id, cardId } = c.req.valid('param');
      return c.json(await payments.removeCard(c.var.caller, id, cardId, clock.now()));
    })
    .post('/:id/payments/charges', responds(201, chargeJson, 'The charge, succeeded (a retry with the same idempotency key answers the same charge).'), chargeErrors, validate('param', idParam), validate('json', chargeBody), async (c) =>
      c.json(await payments.chargeCard(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201),
    )
    .get('/:id/payments/charges/:chargeId', responds(200, chargeJson), validate('param', chargeParam), async (c) => {
      const { id, chargeId } = c.req.valid('param');
      return c.json(await payments.charge(c.var.caller, id, chargeId));
    })
    .post('/:id/payments/charges/:chargeId/refunds', responds(201, refundJson, 'The refund (pending until the provider confirms, for some providers).'), refundErrors, validate('param', chargeParam), validate('json', refundBody), async (c) => {
      const { id, chargeId } = c.req.valid('param');
      return c.json(await payments.refund(c.var.caller, id, chargeId, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:id/payments/history', responds(200, historyPage), validate('param', idParam), validate('query', historyQuery), async (c) => {
      const o = c.req.valid('query');
      const page = await payments.history(c.var.caller, c.req.valid('param').id, { limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    });
}

/** /api/v1/payments — the provider the browser collects cards with, and who may manage payments. */
export function paymentRoutes(deps: AppDeps) {
  const payments = new Payments(deps.db, deps.payments, deps.events);
  return new Hono<Env>().get('/config', responds(200, configJson), async (c) => {
    const out = await payments.config(c.var.caller);
    return c.json({ ...out, provider: out.provider && absolute(out.provider, deps.config?.publicUrl ?? new URL(c.req.url).origin) });
  });
}

/** /api/v1/payment-grants/:memberId — the host backend grants (PUT) or takes back (DELETE) payments.manage for one member. */
export function paymentGrantRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const member = async (ws: string, id: string) => {
    const m = await db.selectFrom('members').select('id').where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();
    if (!m) throw notFound('Member');
  };
  return new Hono<Env>()
    .put('/:memberId', responds(200, grantJson), validate('param', grantParam), async (c) => {
      const { memberId } = c.req.valid('param');
      await member(c.var.caller.workspace.id, memberId);
      await db.insertInto('member_grants').values({ member_id: memberId, permission: 'payments.manage', created_at: clock.now() }).onConflict((oc) => oc.columns(['member_id', 'permission']).doNothing()).execute();
      return c.json({ memberId, permission: 'payments.manage' as const, granted: true });
    })
    .delete('/:memberId', responds(200, grantJson), validate('param', grantParam), async (c) => {
      const { memberId } = c.req.valid('param');
      await member(c.var.caller.workspace.id, memberId);
      await db.deleteFrom('member_grants').where('member_id', '=', memberId).where('permission', '=', 'payments.manage').execute();
      return c.json({ memberId, permission: 'payments.manage' as const, granted: false });
    });
}

/**
 * /api/v1/payments/webhook — the provider's webhooks (Stripe's, or the test provider's in the same format). No token:
 * the `Stripe-Signature` header is checked against the raw body (400 `invalid_signature`); a replayed event answers
 * 200 and changes nothing.
 */
export function paymentWebhookRoutes(deps: AppDeps) {
  const payments = new Payments(deps.db, deps.payments, deps.events);
  return new Hono<Env>().post('/', acceptsBody('The provider\'s event, exactly as it sent it (the signature covers these bytes; at most 1 MB).', { mediaType: 'application/json' }), responds(200, webhookAnswer), documents({ security: ['providerSignature'], errors: { 400: ['invalid_signature', 'bad_request'], 503: ['payments_not_configured'] } }), async (c) => {
    const raw = await c.req.text();
    if (raw.length > 1_000_000) throw new ApiError(413, 'payload_too_large', 'A webhook body is at most 1 MB.');
    return c.json(await payments.webhook(raw, c.req.header('stripe-signature'), deps.clock.now()));
  });
}

