import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { FakeStripe } from './fake-stripe.js';
import { StripeProvider } from './stripe-provider.js';

// The Stripe provider through the real `stripe` package against the local fake Stripe server: cards through setup
// intents, charges with Stripe's Idempotency-Key (a retry never charges twice), declines, refunds, and the provider's
// webhooks (signature checked, replays change nothing, outcomes in any order).
describe('payments (Stripe provider against the fake Stripe server)', () => {
  let h: Harness;
  let stripe: FakeStripe;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let contactId: string;
  let n = 0;
  const key = () => `stripe-attempt-${++n}`;
  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  /** Posts the raw body as Stripe does (the signature is over these exact bytes). */
  const webhook = (body: string, signature?: string) => h.app.request('/api/v1/payments/webhook', { method: 'POST', headers: { 'content-type': 'application/json', ...(signature && { 'stripe-signature': signature }) }, body });

  const addCard = async (card: string, id = contactId) => {
    const setup = await call('POST', `/contacts/${id}/payments/cards/setup`, owner.token, {});
    assert.equal(setup.status, 201, JSON.stringify(setup.body));
    assert.deepEqual(setup.body.collection, { provider: 'stripe', publishableKey: 'pk_test_fake', stripeJsUrl: 'https://js.stripe.com/v3/' });
    assert.match(setup.body.clientSecret, /^seti_.+_secret_/);
    // What Stripe.js does in the browser with the client secret.
    stripe.confirmSetup(setup.body.setupIntentId, card);
    return call('POST', `/contacts/${id}/payments/cards`, owner.token, { setupIntentId: setup.body.setupIntentId, label: 'Main' });
  };

  before(async () => {
    stripe = await new FakeStripe('sk_test_fake', 'whsec_fake').start();
    h = await harness(undefined, { payments: new StripeProvider({ secretKey: 'sk_test_fake', publishableKey: 'pk_test_fake', webhookSecret: 'whsec_fake', apiBase: stripe.url }) });
    ws = await h.workspace();
    owner = await ws.token('owner');
    contactId = (await call('POST', '/contacts', owner.token, { firstName: 'Stri', lastName: 'Pe', emails: [{ value: 'stripe@example.com' }] })).body.id;
  });
  after(async () => {
    await h.close();
    await stripe.stop();
  });

  it('saves a card from a confirmed setup intent (one Stripe customer per contact) and detaches it on removal', async () => {
    const card = await addCard('4242424242424242');
    assert.equal(card.status, 201, JSON.stringify(card.body));
    assert.deepEqual({ brand: card.body.brand, last4: card.body.last4, isDefault: card.body.isDefault }, { brand: 'visa', last4: '4242', isDefault: true });
    assert.equal(stripe.customers.size, 1);
    assert.equal([...stripe.customers.values()][0]!.email, 'stripe@example.com');
    const second = await addCard('pm_card_chargeDeclinedInsufficientFunds');
    assert.equal(second.status, 201);
    assert.equal(stripe.customers.size, 1);
    // Stripe refuses 4000 0000 0000 0002 when it is saved: the setup intent is not confirmed.
    const refused = await addCard('4000000000000002');
    assert.equal(refused.status, 502);
    assert.match(refused.body.error.message, /not confirmed/);
    const removed = await call('DELETE', `/contacts/${contactId}/payments/cards/${second.body.id}`, owner.token);
    assert.equal(removed.status, 200);
    const pm = [...stripe.paymentMethods.values()].find((p) => p.card.last4 === '9995')!;
    assert.equal(pm.customer, null);
  });

  it('charges with Stripe’s Idempotency-Key: a retry after an outage asks again under the same key and charges once', async () => {
    const card = (await call('GET', `/contacts/${contactId}/payments/cards`, owner.token)).body.items[0];
    const attempt = key();
    // Stripe made the payment but the answer was lost (500 twice: the first try and the stripe package's retry).
    stripe.failAfterWork = 2;
    const lost = await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, amount: 5_000, currency: 'eur', description: 'Retainer', idempotencyKey: attempt });
    assert.equal(lost.status, 502, JSON.stringify(lost.body));
    assert.equal(lost.body.error.code, 'provider_error');
    const retry = await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, amount: 5_000, currency: 'eur', description: 'Retainer', idempotencyKey: attempt });
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.status, 'succeeded');
    assert.equal(stripe.paymentIntents.size, 1);
    const keys = stripe.requests.filter((r) => r.path === '/v1/payment_intents').map((r) => r.idempotencyKey);
    assert.ok(keys.length >= 2 && keys.every((k) => k === keys[0]), JSON.stringify(keys));
    const again = await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, amount: 5_000, currency: 'eur', description: 'Retainer', idempotencyKey: attempt });
    assert.equal(again.body.id, retry.body.id);
    assert.equal(stripe.paymentIntents.size, 1);
  });

  it('answers Stripe’s decline reason, and refunds through Stripe', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Decline' })).body.id;
    const poor = (await addCard('4000000000009995', c)).body;
    const declined = await call('POST', `/contacts/${c}/payments/charges`, owner.token, { cardId: poor.id, amount: 900, currency: 'usd', idempotencyKey: key() });
    assert.equal(declined.status, 402);
    assert.equal(declined.body.error.message, 'Your card has insufficient funds.');
    assert.equal(declined.body.error.details.reason, 'insufficient_funds');
    const good = (await addCard('4242424242424242', c)).body;
    const ch = (await call('POST', `/contacts/${c}/payments/charges`, owner.token, { cardId: good.id, amount: 900, currency: 'usd', idempotencyKey: key() })).body;
    const refund = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { amount: 400, idempotencyKey: key() });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    assert.equal(refund.body.status, 'succeeded');
    assert.equal([...stripe.refunds.values()].find((r) => r.payment_intent === [...stripe.paymentIntents.values()].at(-1)!.id)?.amount, 400);
  });

  it('rejects webhooks with a missing or wrong signature (400 invalid_signature), changing nothing', async () => {
    const pi = [...stripe.paymentIntents.values()][0]!;
    const event = stripe.event('payment_intent.succeeded', pi);
    const missing = await webhook(event.body);
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'invalid_signature');
    const forged = stripe.event('payment_intent.succeeded', pi, { secret: 'whsec_attacker' });
    const bad = await webhook(forged.body, forged.signature);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    assert.equal(bad.status, 400);
    assert.equal(body.error.code, 'invalid_signature');
    assert.match(body.error.message, /signature/i);
    const tampered = await webhook(event.body.replace('"amount":5000', '"amount":1'), event.signature);
    assert.equal(tampered.status, 400);
    assert.equal((await h.opened.db.selectFrom('payment_webhook_events').select('event_id').execute()).length, 0);
  });

  it('applies a webhook once (a replay changes nothing) and in any order: a refund made in Stripe’s dashboard lands in the ledger', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Hooked' })).body.id;
    const card = (await addCard('4242424242424242', c)).body;
    const ch = (await call('POST', `/contacts/${c}/payments/charges`, owner.token, { cardId: card.id, amount: 3_000, currency: 'usd', idempotencyKey: key() })).body;
    const pi = [...stripe.paymentIntents.values()].find((p) => p.metadata.dossier_charge_id === ch.id)!;
    assert.equal(pi.metadata.workspace_id, ws.id);
    // Stripe's own copy of what was already answered: recorded, no second ledger entry.
    const succeeded = stripe.event('payment_intent.succeeded', pi);
    const first = await webhook(succeeded.body, succeeded.signature);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { received: true, duplicate: false, applied: false });
    // A late failure event for a payment that succeeded does not undo it.
    const lateFail = stripe.event('payment_intent.payment_failed', { ...pi, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', message: 'Declined' } });
    assert.equal((await webhook(lateFail.body, lateFail.signature)).status, 200);
    assert.equal((await call('GET', `/contacts/${c}/payments/charges/${ch.id}`, owner.token)).body.status, 'succeeded');
    // A refund made in the dashboard: no refund of ours, found by its payment intent.
    const refund = { id: 're_dashboard_1', object: 'refund', amount: 1_000, currency: 'usd', payment_intent: pi.id, status: 'succeeded', metadata: {} };
    const refunded = stripe.event('refund.created', refund);
    const applied = await webhook(refunded.body, refunded.signature);
    assert.deepEqual(await applied.json(), { received: true, duplicate: false, applied: true });
    const replay = await webhook(refunded.body, refunded.signature);
    assert.equal(replay.status, 200);
    assert.deepEqual(await replay.json(), { received: true, duplicate: true, applied: false });
    const history = (await call('GET', `/contacts/${c}/payments/history`, owner.token)).body.items;
    assert.deepEqual(history.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`), ['refund.succeeded:-1000', 'charge.succeeded:3000']);
    assert.equal((await call('GET', `/contacts/${c}/payments/charges/${ch.id}`, owner.token)).body.amountRefunded, 1_000);
    const audits = await h.opened.db.selectFrom('audit_events').select(['action', 'actor_type']).where('contact_id', '=', c).where('action', '=', 'payment.refunded').execute();
    assert.deepEqual(audits, [{ action: 'payment.refunded', actor_type: 'system' }]);
  });

  it('settles a charge left pending (its answer lost) from the webhook, before any retry', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Pending' })).body.id;
    const card = (await addCard('4242424242424242', c)).body;
    const attempt = key();
    stripe.failAfterWork = 2;
    assert.equal((await call('POST', `/contacts/${c}/payments/charges`, owner.token, { cardId: card.id, amount: 700, currency: 'usd', idempotencyKey: attempt })).status, 502);
    const row = await h.opened.db.selectFrom('payment_charges').selectAll().where('idempotency_key', '=', attempt).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    const pi = [...stripe.paymentIntents.values()].find((p) => p.metadata.dossier_charge_id === row.id)!;
    const ev = stripe.event('payment_intent.succeeded', pi);
    assert.deepEqual(await (await webhook(ev.body, ev.signature)).json(), { received: true, duplicate: false, applied: true });
    const history = (await call('GET', `/contacts/${c}/payments/history`, owner.token)).body.items;
    assert.deepEqual(history.map((e: { kind: string }) => e.kind), ['charge.succeeded']);
    const retried = await call('POST', `/contacts/${c}/payments/charges`, owner.token, { cardId: card.id, amount: 700, currency: 'usd', idempotencyKey: attempt });
    assert.equal(retried.status, 201);
    assert.equal((await call('GET', `/contacts/${c}/payments/history`, owner.token)).body.items.length, 1);
  });
});
