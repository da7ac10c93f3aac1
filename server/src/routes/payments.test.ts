import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainEvent } from '../domain/events.js';
import { testProvider } from '../payments/config.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

// Payments with the test provider: cards on file (the card number goes to the provider's tokenizing endpoint, never to
// the contact API), Charge now with idempotency keys, declines, refunds, the ledger, permissions, tenant isolation,
// audit, Activity, host webhooks and live events.
describe('payments (test provider)', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: { token: string; memberId: string };
  let manager: { token: string; memberId: string };
  let agent: { token: string; memberId: string };
  let contactId: string;
  let key = 0;
  const newKey = () => `attempt-${++key}-${Date.now()}`;

  const call = (method: string, path: string, token: string, body?: unknown) => h.call(method, `/api/v1${path}`, { token, body });
  /** Adds a card as the widget does: setup intent, the card to the provider's endpoint, then the payment method id to Dossier. */
  const addCard = async (number: string, token = owner.token, id = contactId, extra: Record<string, unknown> = {}) => {
    const setup = await call('POST', `/contacts/${id}/payments/cards/setup`, token, {});
    assert.equal(setup.status, 201, JSON.stringify(setup.body));
    assert.equal(setup.body.collection.provider, 'test');
    const tokenized = await h.app.request(new URL(setup.body.collection.tokenizeUrl).pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret: setup.body.clientSecret, number, expMonth: 12, expYear: 2030, cvc: '123' }) });
    const pm = (await tokenized.json()) as { paymentMethodId: string };
    assert.equal(tokenized.status, 200, JSON.stringify(pm));
    const card = await call('POST', `/contacts/${id}/payments/cards`, token, { setupIntentId: setup.body.setupIntentId, paymentMethodId: pm.paymentMethodId, ...extra });
    assert.equal(card.status, 201, JSON.stringify(card.body));
    return card.body;
  };
  const charge = (cardId: string, amount: number, token = owner.token, id = contactId, idempotencyKey = newKey(), currency = 'usd') =>
    call('POST', `/contacts/${id}/payments/charges`, token, { cardId, amount, currency, description: 'Consultation', idempotencyKey });

  before(async () => {
    h = await harness(undefined, { payments: testProvider('test-secret-0123456789') });
    ws = await h.workspace();
    owner = await ws.token('owner');
    manager = await ws.token('manager');
    agent = await ws.token('agent');
    contactId = (await call('POST', '/contacts', owner.token, { firstName: 'Paula', lastName: 'Payer', emails: [{ value: 'paula@example.com' }] })).body.id;
  });
  after(() => h.close());

  it('tells the widget which provider collects cards and who may manage payments', async () => {
    const o = await call('GET', '/payments/config', owner.token);
    assert.equal(o.status, 200, JSON.stringify(o.body));
    assert.equal(o.body.provider.provider, 'test');
    assert.match(o.body.provider.tokenizeUrl, /^http:\/\/localhost\/test-provider\/v1\/tokens$/);
    assert.equal(o.body.canManage, true);
    assert.equal((await call('GET', '/payments/config', agent.token)).body.canManage, false);
    assert.ok((await call('GET', '/me', manager.token)).body.permissions.includes('payments.manage'));
    assert.ok(!(await call('GET', '/me', agent.token)).body.permissions.includes('payments.manage'));
  });

  it('saves a card (brand, last four, expiry, label; the first is the default), lists, relabels, chooses a default and removes', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Cardy' })).body.id;
    const visa = await addCard('4242 4242 4242 4242', owner.token, c, { label: 'Work' });
    h.clock.advance(1);
    assert.deepEqual({ brand: visa.brand, last4: visa.last4, expMonth: visa.expMonth, expYear: visa.expYear, label: visa.label, isDefault: visa.isDefault }, { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, label: 'Work', isDefault: true });
    const mc = await addCard('5555555555554444', owner.token, c);
    assert.equal(mc.brand, 'mastercard');
    assert.equal(mc.isDefault, false);
    h.clock.advance(1);
    const made = await call('PATCH', `/contacts/${c}/payments/cards/${mc.id}`, owner.token, { isDefault: true, label: 'Personal' });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const list = (await call('GET', `/contacts/${c}/payments/cards`, agent.token)).body.items;
    assert.deepEqual(list.map((x: { last4: string; isDefault: boolean; label: string }) => `${x.last4}:${x.isDefault}:${x.label}`), ['4242:false:Work', '4444:true:Personal']);
    const removed = await call('DELETE', `/contacts/${c}/payments/cards/${visa.id}`, owner.token);
    assert.equal(removed.status, 200);
    assert.deepEqual((await call('GET', `/contacts/${c}/payments/cards`, owner.token)).body.items.map((x: { last4: string }) => x.last4), ['4444']);
    assert.equal((await call('DELETE', `/contacts/${c}/payments/cards/${visa.id}`, owner.token)).status, 404);
    // The card number is nowhere in Dossier's database.
    const rows = JSON.stringify(await h.opened.db.selectFrom('payment_methods').selectAll().execute());
    assert.doesNotMatch(rows, /4242424242424242|5555555555554444/);
  });

  it('refuses a card the provider did not confirm for this setup intent, and bad card numbers at the provider', async () => {
    const setup = (await call('POST', `/contacts/${contactId}/payments/cards/setup`, owner.token, {})).body;
    const other = (await call('POST', `/contacts/${contactId}/payments/cards/setup`, owner.token, {})).body;
    const tok = async (clientSecret: string, number: string) => h.app.request('/test-provider/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientSecret, number, expMonth: 1, expYear: 2031, cvc: '123' }) });
    const bad = await tok(setup.clientSecret, '4242424242424241');
    assert.equal(bad.status, 402);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'incorrect_number');
    const pm = ((await (await tok(other.clientSecret, '4242424242424242')).json()) as { paymentMethodId: string }).paymentMethodId;
    const wrong = await call('POST', `/contacts/${contactId}/payments/cards`, owner.token, { setupIntentId: setup.setupIntentId, paymentMethodId: pm });
    assert.equal(wrong.status, 502);
    assert.equal(wrong.body.error.code, 'provider_error');
    const forged = await call('POST', `/contacts/${contactId}/payments/cards`, owner.token, { setupIntentId: setup.setupIntentId, paymentMethodId: pm.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')) });
    assert.equal(forged.status, 502);
  });

  it('charges a saved card, and a retried request with the same idempotency key never charges twice', async () => {
    const card = await addCard('4242424242424242');
    const attempt = newKey();
    const first = await charge(card.id, 12_345, owner.token, contactId, attempt);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual({ status: first.body.status, amount: first.body.amount, currency: first.body.currency, last4: first.body.card.last4 }, { status: 'succeeded', amount: 12_345, currency: 'usd', last4: '4242' });
    const again = await charge(card.id, 12_345, owner.token, contactId, attempt);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    const both = await Promise.all([charge(card.id, 500, owner.token, contactId, 'racing-key-1'), charge(card.id, 500, owner.token, contactId, 'racing-key-1')]);
    assert.deepEqual(both.map((r) => r.status), [201, 201]);
    assert.equal(both[0]!.body.id, both[1]!.body.id);
    const rows = await h.opened.db.selectFrom('payment_charges').select('id').where('idempotency_key', 'in', [attempt, 'racing-key-1']).execute();
    assert.equal(rows.length, 2);
    const ledger = await h.opened.db.selectFrom('payment_ledger').select(['kind', 'amount']).where('charge_id', 'in', rows.map((r) => r.id)).execute();
    assert.equal(ledger.length, 2);
    // The same key for a different charge is refused.
    const reused = await charge(card.id, 999, owner.token, contactId, attempt);
    assert.equal(reused.status, 409);
    assert.equal(reused.body.error.code, 'idempotency_key_reused');
  });

  it('answers a decline with the provider’s reason (402), records it, and a new attempt with another card succeeds', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Declan' })).body.id;
    const declined = await addCard('4000000000000002', owner.token, c);
    const poor = await addCard('4000000000009995', owner.token, c);
    const good = await addCard('4242424242424242', owner.token, c);
    const no = await charge(declined.id, 2_000, owner.token, c);
    assert.equal(no.status, 402, JSON.stringify(no.body));
    assert.equal(no.body.error.code, 'card_declined');
    assert.equal(no.body.error.message, 'Your card was declined.');
    assert.equal(no.body.error.details.charge.status, 'failed');
    const broke = await charge(poor.id, 2_000, owner.token, c);
    assert.equal(broke.status, 402);
    assert.equal(broke.body.error.details.reason, 'insufficient_funds');
    assert.equal(broke.body.error.message, 'Your card has insufficient funds.');
    const yes = await charge(good.id, 2_000, owner.token, c);
    assert.equal(yes.status, 201);
    const history = (await call('GET', `/contacts/${c}/payments/history`, agent.token)).body.items;
    assert.deepEqual(history.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`), ['charge.succeeded:2000', 'charge.failed:0', 'charge.failed:0']);
  });

  it('validates money: integer minor units, a known currency, limits', async () => {
    const card = (await call('GET', `/contacts/${contactId}/payments/cards`, owner.token)).body.items[0];
    for (const body of [
      { amount: 12.5, currency: 'usd' },
      { amount: 0, currency: 'usd' },
      { amount: -5, currency: 'usd' },
      { amount: 100_000_000, currency: 'usd' },
      { amount: 100, currency: 'dollars' },
      { amount: 100, currency: 'zzz' },
      { amount: '100', currency: 'usd' },
    ]) {
      const res = await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, idempotencyKey: newKey(), ...body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
    }
    const upper = await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, idempotencyKey: newKey(), amount: 1500, currency: 'JPY' });
    assert.equal(upper.status, 201);
    assert.equal(upper.body.currency, 'jpy');
    assert.equal((await call('POST', `/contacts/${contactId}/payments/charges`, owner.token, { cardId: card.id, idempotencyKey: 'short', amount: 100, currency: 'usd' })).status, 400);
  });

  it('refunds in part and in full, never more than was charged, and keeps the ledger exact', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Rita', lastName: 'Refund' })).body.id;
    const card = await addCard('4242424242424242', owner.token, c);
    const ch = (await charge(card.id, 10_000, owner.token, c)).body;
    const partKey = newKey();
    const part = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { amount: 2_500, reason: 'Partial service', idempotencyKey: partKey });
    assert.equal(part.status, 201, JSON.stringify(part.body));
    assert.equal(part.body.status, 'succeeded');
    const replay = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { amount: 2_500, reason: 'Partial service', idempotencyKey: partKey });
    assert.equal(replay.body.id, part.body.id);
    const tooMuch = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { amount: 7_501, idempotencyKey: newKey() });
    assert.equal(tooMuch.status, 422);
    assert.deepEqual(tooMuch.body.error.details, { field: 'amount' });
    const rest = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { idempotencyKey: newKey() });
    assert.equal(rest.status, 201);
    assert.equal(rest.body.amount, 7_500);
    assert.equal((await call('GET', `/contacts/${c}/payments/charges/${ch.id}`, owner.token)).body.amountRefunded, 10_000);
    const none = await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { idempotencyKey: newKey() });
    assert.equal(none.status, 422);
    const history = (await call('GET', `/contacts/${c}/payments/history?limit=2`, owner.token)).body;
    assert.deepEqual(history.items.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`), ['refund.succeeded:-7500', 'refund.succeeded:-2500']);
    const next = (await call('GET', `/contacts/${c}/payments/history?limit=2&cursor=${encodeURIComponent(history.nextCursor)}`, owner.token)).body;
    assert.deepEqual(next.items.map((e: { kind: string }) => e.kind), ['charge.succeeded']);
    assert.equal(next.nextCursor, null);
    const sum = (await h.opened.db.selectFrom('payment_ledger').select('amount').where('contact_id', '=', c).execute()).reduce((s, r) => s + Number(r.amount), 0);
    assert.equal(sum, 0);
    const failed = await call('POST', '/contacts', owner.token, { firstName: 'NoRefund' });
    const bad = await addCard('4000000000000002', owner.token, failed.body.id);
    const declinedCharge = (await charge(bad.id, 100, owner.token, failed.body.id)).body.error.details.charge;
    const notRefundable = await call('POST', `/contacts/${failed.body.id}/payments/charges/${declinedCharge.id}/refunds`, owner.token, { idempotencyKey: newKey() });
    assert.equal(notRefundable.status, 409);
    assert.equal(notRefundable.body.error.code, 'not_refundable');
  });

  it('lets agents read but not charge, refund or manage cards, unless the host granted them payments.manage', async () => {
    const card = (await call('GET', `/contacts/${contactId}/payments/cards`, agent.token)).body.items[0];
    assert.equal((await call('GET', `/contacts/${contactId}/payments/history`, agent.token)).status, 200);
    const ch = (await charge(card.id, 300)).body;
    for (const [method, path, body] of [
      ['POST', `/contacts/${contactId}/payments/cards/setup`, {}],
      ['PATCH', `/contacts/${contactId}/payments/cards/${card.id}`, { label: 'x' }],
      ['DELETE', `/contacts/${contactId}/payments/cards/${card.id}`, undefined],
      ['POST', `/contacts/${contactId}/payments/charges`, { cardId: card.id, amount: 100, currency: 'usd', idempotencyKey: newKey() }],
      ['POST', `/contacts/${contactId}/payments/charges/${ch.id}/refunds`, { idempotencyKey: newKey() }],
    ] as const) {
      const res = await call(method, path, agent.token, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
    assert.equal((await charge(card.id, 100, manager.token)).status, 201);
    // Granting is for the host backend (secret key) only.
    assert.equal((await call('PUT', `/payment-grants/${agent.memberId}`, owner.token)).status, 401);
    const grant = await call('PUT', `/payment-grants/${agent.memberId}`, ws.secretKey);
    assert.equal(grant.status, 200, JSON.stringify(grant.body));
    assert.equal((await charge(card.id, 100, agent.token)).status, 201);
    assert.ok((await call('GET', '/me', agent.token)).body.permissions.includes('payments.manage'));
    assert.equal((await call('DELETE', `/payment-grants/${agent.memberId}`, ws.secretKey)).status, 200);
    assert.equal((await charge(card.id, 100, agent.token)).status, 403);
    assert.equal((await call('PUT', '/payment-grants/mb_nobody', ws.secretKey)).status, 404);
  });

  it('keeps workspaces apart on every route', async () => {
    const other = await h.workspace();
    const stranger = await other.token('owner');
    const card = (await call('GET', `/contacts/${contactId}/payments/cards`, owner.token)).body.items[0];
    const ch = (await charge(card.id, 100)).body;
    for (const [method, path, body] of [
      ['GET', `/contacts/${contactId}/payments/cards`, undefined],
      ['POST', `/contacts/${contactId}/payments/cards/setup`, {}],
      ['POST', `/contacts/${contactId}/payments/cards`, { setupIntentId: 'seti_test_x' }],
      ['PATCH', `/contacts/${contactId}/payments/cards/${card.id}`, { label: 'x' }],
      ['DELETE', `/contacts/${contactId}/payments/cards/${card.id}`, undefined],
      ['POST', `/contacts/${contactId}/payments/charges`, { cardId: card.id, amount: 100, currency: 'usd', idempotencyKey: newKey() }],
      ['GET', `/contacts/${contactId}/payments/charges/${ch.id}`, undefined],
      ['POST', `/contacts/${contactId}/payments/charges/${ch.id}/refunds`, { idempotencyKey: newKey() }],
      ['GET', `/contacts/${contactId}/payments/history`, undefined],
    ] as const) {
      const res = await call(method, path, stranger.token, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    }
    // Their own contact cannot use our card, nor our charge.
    const theirs = (await call('POST', '/contacts', stranger.token, { firstName: 'Theirs' })).body.id;
    assert.equal((await charge(card.id, 100, stranger.token, theirs)).status, 404);
    assert.equal((await call('POST', `/contacts/${theirs}/payments/charges/${ch.id}/refunds`, stranger.token, { idempotencyKey: newKey() })).status, 404);
    assert.equal((await call('DELETE', `/payment-grants/${agent.memberId}`, other.secretKey)).status, 404);
  });

  it('audits, shows in Activity, announces payment.* to host webhooks and publishes live events', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/payments', eventTypes: ['payment.charge_succeeded', 'payment.charge_failed', 'payment.refunded', 'payment.card_added', 'payment.card_removed'] } });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Hook' })).body.id;
    const seen: DomainEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e));
    const good = await addCard('4242424242424242', owner.token, c);
    const bad = await addCard('4000000000000002', owner.token, c);
    h.clock.advance(1);
    const ch = (await charge(good.id, 4_200, owner.token, c)).body;
    h.clock.advance(1);
    await charge(bad.id, 4_200, owner.token, c);
    h.clock.advance(1);
    await call('POST', `/contacts/${c}/payments/charges/${ch.id}/refunds`, owner.token, { amount: 200, idempotencyKey: newKey() });
    h.clock.advance(1);
    await call('DELETE', `/contacts/${c}/payments/cards/${bad.id}`, owner.token);
    stop();
    const audit = await h.opened.db.selectFrom('audit_events').select(['action']).where('contact_id', '=', c).where('action', 'like', 'payment.%').orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['payment.card_added', 'payment.card_added', 'payment.charge_succeeded', 'payment.charge_failed', 'payment.refunded', 'payment.card_removed']);
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.body.id).orderBy('seq').execute();
    assert.deepEqual(deliveries.map((d) => d.event_type), ['payment.card_added', 'payment.card_added', 'payment.charge_succeeded', 'payment.charge_failed', 'payment.refunded', 'payment.card_removed']);
    const succeeded = JSON.parse(deliveries[2]!.payload).data;
    assert.deepEqual({ id: succeeded.charge.id, amount: succeeded.charge.amount, status: succeeded.charge.status }, { id: ch.id, amount: 4_200, status: 'succeeded' });
    assert.equal(JSON.parse(deliveries[0]!.payload).data.card.last4, '4242');
    assert.ok(seen.some((e) => e.type === 'payment.created') && seen.some((e) => e.type === 'payment.updated') && seen.some((e) => e.type === 'payment.deleted'));
    const activity = await call('GET', `/contacts/${c}/activity?kind=payment`, owner.token);
    assert.equal(activity.status, 200, JSON.stringify(activity.body));
    assert.deepEqual(activity.body.items.map((i: { kind: string }) => i.kind), ['payment.card_removed', 'payment.refunded', 'payment.charge_failed', 'payment.charge_succeeded', 'payment.card_added', 'payment.card_added']);
    assert.equal(activity.body.items[3].audit.context.payment.amount, 4_200);
  });

  it('refuses changes for a contact in the restore bin, and answers 503 when no provider is configured', async () => {
    const c = (await call('POST', '/contacts', owner.token, { firstName: 'Binned' })).body.id;
    const card = await addCard('4242424242424242', owner.token, c);
    assert.equal((await call('DELETE', `/contacts/${c}`, owner.token)).status, 200);
    const res = await charge(card.id, 100, owner.token, c);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'contact_deleted');
    const bare = await harness();
    try {
      const w = await bare.workspace();
      const o = await w.token('owner');
      const id = (await bare.call('POST', '/api/v1/contacts', { token: o.token, body: { firstName: 'X' } })).body.id;
      const off = await bare.call('POST', `/api/v1/contacts/${id}/payments/cards/setup`, { token: o.token, body: {} });
      assert.equal(off.status, 503);
      assert.equal(off.body.error.code, 'payments_not_configured');
      assert.equal((await bare.call('GET', '/api/v1/payments/config', { token: o.token })).body.provider, null);
    } finally {
      await bare.close();
    }
  });
});
