import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { billingCards } from '../domain/billing/pay-cards.js';
import { BillingRunner, idempotencyKey, MAX_ATTEMPTS, RETRY_MS } from '../domain/billing/runner.js';
import type { CardCharger } from '../domain/billing/charger.js';
import { testProvider } from '../payments/config.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const DAY = 86_400_000;

// Subscriptions (rules, roles, isolation), the billing runner on a controllable clock (schedule, month ends,
// idempotency per period, declines and retries, cancel), and paying an invoice by card — through the payments core
// with the test provider (4242 succeeds, 0002 declines).
describe('billing: subscriptions, the runner and card payments', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;
  let plan: { id: string };
  let cards: CardCharger;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  const ok = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
    const res = await call(method, path, token, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const addCard = async (number: string, id = contactId) => {
    const setup = await ok('POST', `/contacts/${id}/payments/cards/setup`, owner.token, {}, 201);
    const tokenized = await h.app.request(new URL(setup.collection.tokenizeUrl).pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: setup.clientSecret, number, expMonth: 12, expYear: 2030, cvc: '123' }) });
    const pm = (await tokenized.json()) as { paymentMethodId: string };
    return ok('POST', `/contacts/${id}/payments/cards`, owner.token, { setupIntentId: setup.setupIntentId, paymentMethodId: pm.paymentMethodId }, 201);
  };
  const runner = () => new BillingRunner({ db: h.opened.db, clock: h.clock, cards, events: h.events });
  const subscription = (id: string) => h.opened.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const chargesOf = (id: string) => h.opened.db.selectFrom('payment_charges').select(['amount', 'status', 'source', 'source_id']).where('source_id', '=', id).execute();

  before(async () => {
    const provider = testProvider('test-secret-0123456789');
    h = await harness(undefined, { payments: provider });
    cards = billingCards({ db: h.opened.db, clock: h.clock, secrets: { tokenSecret: 'test-secret-0123456789' }, blobs: h.blobs, events: h.events, payments: provider });
    ws = await h.workspace();
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    contactId = (await ok('POST', '/contacts', owner.token, { firstName: 'Sub', lastName: 'Scriber' }, 201)).id;
    plan = await ok('POST', '/products', owner.token, { name: 'Pro plan', unitAmount: 4_900, currency: 'USD', kind: 'recurring', interval: 'month' }, 201);
  });
  after(() => h.close());

  it('subscribes a saved card to a recurring product and refuses what does not fit', async () => {
    const card = await addCard('4242424242424242');
    const oneOff = await ok('POST', '/products', owner.token, { name: 'Setup', unitAmount: 100, currency: 'USD', kind: 'one_off' }, 201);
    const sub = await ok('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, quantity: '2', startAt: h.clock.now() + DAY, paymentMethodId: card.id }, 201);
    assert.match(sub.id, /^su_/);
    assert.deepEqual([sub.status, sub.amount, sub.currency, sub.interval, sub.nextBillAt, sub.quantity], ['scheduled', 9_800, 'USD', 'month', h.clock.now() + DAY, '2']);
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ productId: oneOff.id }, 422, 'productId'],
      [{ productId: 'pr_nope' }, 422, 'productId'],
      [{ paymentMethodId: 'pm_nope' }, 422, 'paymentMethodId'],
      [{ startAt: h.clock.now() - 3 * DAY }, 422, 'startAt'],
      [{ quantity: '0' }, 422, 'quantity'],
      [{ quantity: '1.2345' }, 400, 'quantity'],
    ];
    for (const [body, status, field] of refusals) {
      const res = await call('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: card.id, ...body });
      assert.equal(res.status, status, JSON.stringify(body) + JSON.stringify(res.body));
      if (status === 422) assert.deepEqual(res.body.error.details, { field });
    }
    // Another contact's card is no card of this contact.
    const other = (await ok('POST', '/contacts', owner.token, { firstName: 'Other' }, 201)).id;
    const theirs = await addCard('4242424242424242', other);
    assert.equal((await call('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: theirs.id })).status, 422);
    // Agents read, never change; other workspaces see nothing.
    assert.equal((await ok('GET', `/contacts/${contactId}/subscriptions`, agent.token)).items.length, 1);
    assert.equal((await call('POST', `/contacts/${contactId}/subscriptions`, agent.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: card.id })).status, 403);
    assert.equal((await call('POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`, agent.token)).status, 403);
    const stranger = await (await h.workspace()).token('owner');
    for (const [method, path] of [['GET', `/contacts/${contactId}/subscriptions`], ['POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`]] as const) assert.equal((await call(method, path, stranger.token)).status, 404, path);
    assert.equal((await call('POST', `/contacts/${contactId}/subscriptions`, stranger.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: card.id })).status, 404);
    await ok('POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`, owner.token);
  });

  it('bills each period once on a controllable clock, month ends included, with idempotency keys per period', async () => {
    const card = await addCard('4242424242424242');
    h.clock.t = Date.UTC(2027, 0, 31, 9);
    owner = await ws.token('owner'); // sessions are minted on the test clock
    const sub = await ok('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: Date.UTC(2027, 0, 31, 10), paymentMethodId: card.id }, 201);
    const r = runner();
    assert.equal(await r.runDue(), 0, 'not due before its start');
    h.clock.t = Date.UTC(2027, 0, 31, 10);
    await r.runDue();
    let row = await subscription(sub.id);
    assert.deepEqual([row.status, row.periods_billed, new Date(row.next_bill_at!).toISOString()], ['active', 1, '2027-02-28T10:00:00.000Z']);
    // The same round again (another process, a restart): nothing more is charged.
    await r.runDue();
    await runner().runDue();
    assert.equal((await chargesOf(sub.id)).length, 1);
    h.clock.t = Date.UTC(2027, 1, 28, 10);
    await r.runDue();
    h.clock.t = Date.UTC(2027, 2, 31, 10);
    await r.runDue();
    row = await subscription(sub.id);
    assert.deepEqual([row.periods_billed, new Date(row.next_bill_at!).toISOString()], [3, '2027-04-30T10:00:00.000Z']);
    const charges = await chargesOf(sub.id);
    assert.deepEqual(charges.map((c) => [c.amount, c.status, c.source]), [[4_900, 'succeeded', 'subscription'], [4_900, 'succeeded', 'subscription'], [4_900, 'succeeded', 'subscription']]);
    const keys = await h.opened.db.selectFrom('subscription_charges').select(['idempotency_key', 'status']).where('subscription_id', '=', sub.id).orderBy('period').execute();
    assert.deepEqual(keys.map((k) => k.idempotency_key), [0, 1, 2].map((p) => idempotencyKey(sub.id, p, 0)));
    // The ledger has the charges (payments core) and the billing events.
    const ledger = await h.opened.db.selectFrom('payment_ledger').select(['kind', 'amount']).where('ref_id', '=', sub.id).orderBy('seq').execute();
    assert.deepEqual(ledger.map((l) => `${l.kind}:${l.amount}`), ['subscription.created:0', ...Array(3).fill(['charge.succeeded:4900', 'subscription.charged:0']).flat()]);
    // Cancelled: no further bill.
    owner = await ws.token('owner');
    await ok('POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`, owner.token);
    assert.equal((await call('POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`, owner.token)).status, 409);
    h.clock.t = Date.UTC(2027, 3, 30, 10);
    await r.runDue();
    assert.equal((await chargesOf(sub.id)).length, 3);
  });

  it('a runner cut short mid-charge asks again with the same key and never charges the period twice', async () => {
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    const card = await addCard('4242424242424242');
    const sub = await ok('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: card.id }, 201);
    // The first runner charges, then dies before recording the outcome.
    const crashing: CardCharger = { assertCard: cards.assertCard, charge: async (req) => (await cards.charge(req), Promise.reject(new Error('process killed'))) };
    await new BillingRunner({ db: h.opened.db, clock: h.clock, cards: crashing }).runDue();
    assert.equal((await subscription(sub.id)).periods_billed, 0);
    await runner().runDue();
    const row = await subscription(sub.id);
    assert.deepEqual([row.status, row.periods_billed], ['active', 1]);
    assert.equal((await chargesOf(sub.id)).length, 1, 'one charge for the period');
  });

  it('a declined bill makes it past due, tried again a day later, at most a few times', async () => {
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    const declining = await addCard('4000000000000002');
    const sub = await ok('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: declining.id }, 201);
    const r = runner();
    await r.runDue();
    let row = await subscription(sub.id);
    assert.equal(row.status, 'past_due');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /declined/i);
    assert.equal(row.retry_at, h.clock.now() + RETRY_MS);
    await r.runDue();
    assert.equal((await subscription(sub.id)).attempts, 1, 'not again before the retry time');
    for (let i = 1; i < MAX_ATTEMPTS + 2; i++) {
      h.clock.advance(RETRY_MS);
      await r.runDue();
    }
    row = await subscription(sub.id);
    assert.deepEqual([row.status, row.attempts, row.periods_billed], ['past_due', MAX_ATTEMPTS, 0]);
    owner = await ws.token('owner');
    const json = (await ok('GET', `/contacts/${contactId}/subscriptions`, owner.token)).items.find((s: { id: string }) => s.id === sub.id);
    assert.equal(json.status, 'past_due');
    assert.ok(json.lastError);
  });

  it('pays a sent invoice with a saved card once, shows a decline with the provider’s reason, and announces subscription webhooks', async () => {
    owner = await ws.token('owner');
    agent = await ws.token('agent');
    const endpoint = await ok('POST', '/webhook-endpoints', ws.secretKey, { url: 'https://hooks.example.com/subs', eventTypes: ['subscription.created', 'subscription.charged', 'subscription.cancelled', 'invoice.paid'] }, 201);
    const good = await addCard('4242424242424242');
    const bad = await addCard('4000000000000002');
    const inv = await ok('POST', `/contacts/${contactId}/invoices`, owner.token, { currency: 'USD', lines: [{ description: 'Audit', unitAmount: 30_000 }], dueAt: h.clock.now() + DAY }, 201);
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, owner.token, { method: 'card', paymentMethodId: good.id })).status, 409, 'a draft is not paid');
    await ok('POST', `/contacts/${contactId}/invoices/${inv.id}/send`, owner.token, { channel: 'email' });
    const declined = await call('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, owner.token, { method: 'card', paymentMethodId: bad.id });
    assert.equal(declined.status, 402);
    assert.equal(declined.body.error.code, 'card_declined');
    assert.match(declined.body.error.message, /declined/i);
    assert.equal((await ok('GET', `/contacts/${contactId}/invoices/${inv.id}`, owner.token)).status, 'sent');
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, agent.token, { method: 'card', paymentMethodId: good.id })).status, 403);
    const paid = await ok('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, owner.token, { method: 'card', paymentMethodId: good.id });
    assert.deepEqual([paid.status, paid.paidMethod], ['paid', 'card']);
    assert.match(paid.chargeId, /^ch_/);
    assert.equal((await call('POST', `/contacts/${contactId}/invoices/${inv.id}/pay`, owner.token, { method: 'card', paymentMethodId: good.id })).status, 409);
    const charges = await chargesOf(inv.id);
    assert.deepEqual(charges.map((c) => [c.amount, c.status]).sort(), [[30_000, 'failed'], [30_000, 'succeeded']]);
    const ledger = await h.opened.db.selectFrom('payment_ledger').select(['kind', 'amount']).where('ref_id', '=', inv.id).orderBy('seq').execute();
    assert.deepEqual(ledger.map((l) => `${l.kind}:${l.amount}`), ['invoice.sent:0', 'charge.failed:0', 'charge.succeeded:30000', 'invoice.paid:0'], 'the money is the charge’s own entry');

    const sub = await ok('POST', `/contacts/${contactId}/subscriptions`, owner.token, { productId: plan.id, startAt: h.clock.now(), paymentMethodId: good.id }, 201);
    await runner().runDue();
    await ok('POST', `/contacts/${contactId}/subscriptions/${sub.id}/cancel`, owner.token);
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['invoice.paid', 'subscription.created', 'subscription.charged', 'subscription.cancelled']);
    const charged = JSON.parse(deliveries[2]!.payload).data;
    assert.deepEqual([charged.actor.type, charged.subscription.id, charged.subscription.periodsBilled], ['system', sub.id, 1]);
  });
});
