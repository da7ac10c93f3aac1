import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testProvider } from '../payments/config.js';
import { harness, type Harness } from '../testing.js';
import { ensureDemoBilling } from './billing.js';
import { ensureDemoPayments } from './payments.js';

// The demo's payments are what the widget and a host backend would have made through the API with the test
// provider: cards on file, charges (one declined), a partial refund and subscriptions, on the newest contacts.
describe('demo payments seed', () => {
  let h: Harness;
  before(async () => (h = await harness(undefined, { payments: testProvider('seed-secret-0123456789') })));
  after(() => h.close());

  it('gives the newest contacts cards, charges, a decline, a partial refund and subscriptions, once', async () => {
    const ws = await h.workspace();
    const ids: string[] = [];
    for (const firstName of ['Third', 'Second', 'Newest']) {
      ids.unshift((await h.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName } })).body.id);
      h.clock.advance(1000);
    }
    const demo = { workspaceId: ws.id, secretKey: ws.secretKey };
    await ensureDemoBilling(h.app, h.opened, demo, 'http://localhost:3999');
    await ensureDemoPayments(h.app, h.opened, demo, undefined, () => h.clock.now());
    await ensureDemoPayments(h.app, h.opened, demo, undefined, () => h.clock.now());
    const get = async (path: string) => (await h.call('GET', `/api/v1/contacts/${ids[0]}${path}`, { token: ws.secretKey })).body.items;

    const cards = await get('/payments/cards');
    assert.deepEqual(cards.map((c: { brand: string; last4: string; label: string | null; isDefault: boolean }) => `${c.brand} ${c.last4} ${c.label} ${c.isDefault}`).sort(), ['mastercard 4444 Personal false', 'visa 0002 Old card false', 'visa 4242 Company card true']);
    const history = await get('/payments/history');
    const kinds = history.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`);
    for (const k of ['charge.succeeded:45000', 'charge.succeeded:4500', 'charge.failed:0', 'refund.succeeded:-7500']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
    // A history over the last month, not one instant: the workshop 30 days ago, its refund the day after, the decline 3 days ago.
    const day = (at: number) => Math.floor(at / 86_400_000);
    const daysAgo = (kind: string, amount: number) => day(h.clock.now()) - day(history.find((e: { kind: string; amount: number }) => e.kind === kind && e.amount === amount).occurredAt);
    assert.deepEqual([daysAgo('charge.succeeded', 45000), daysAgo('refund.succeeded', -7500), daysAgo('charge.succeeded', 4500), daysAgo('charge.failed', 0)], [30, 29, 17, 3]);
    assert.deepEqual(cards.map((c: { createdAt: number }) => day(h.clock.now()) - day(c.createdAt)).sort(), [37, 41, 45]);
    // In office hours (UTC), not in the middle of the night.
    for (const e of history.filter((x: { occurredAt: number }) => day(h.clock.now()) - day(x.occurredAt) > 1)) assert.ok(new Date(e.occurredAt).getUTCHours() >= 9 && new Date(e.occurredAt).getUTCHours() < 17, new Date(e.occurredAt).toISOString());
    const subs = await get('/subscriptions');
    assert.deepEqual(subs.map((s: { status: string; amount: number }) => `${s.status}:${s.amount}`).sort(), ['cancelled:99000', 'scheduled:4900']);
    // The sent invoice of the billing seed stays sent (the demo shows both states).
    assert.deepEqual((await get('/invoices')).map((i: { status: string }) => i.status), ['sent']);

    const second = (await h.call('GET', `/api/v1/contacts/${ids[1]}/payments/cards`, { token: ws.secretKey })).body.items;
    assert.deepEqual(second.map((c: { brand: string }) => c.brand), ['amex']);
    assert.equal((await h.call('GET', `/api/v1/contacts/${ids[2]}/payments/cards`, { token: ws.secretKey })).body.items[0].brand, 'discover');
    // Seeding again adds nothing.
    assert.equal((await h.opened.db.selectFrom('payment_methods').select('id').where('workspace_id', '=', ws.id).execute()).length, 5);
    assert.equal((await h.opened.db.selectFrom('payment_charges').select('id').where('workspace_id', '=', ws.id).execute()).length, 4);
    // The timeline tells it too.
    const activity = (await h.call('GET', `/api/v1/contacts/${ids[0]}/activity`, { token: ws.secretKey })).body.items;
    assert.ok(activity.some((a: { kind: string }) => a.kind.startsWith('payment')), activity.map((a: { kind: string }) => a.kind).join(', '));
  });

  it('seeds nothing when payments run through another provider or none', async () => {
    const plain = await harness();
    try {
      const ws = await plain.workspace();
      await plain.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName: 'Solo' } });
      await ensureDemoPayments(plain.app, plain.opened, { workspaceId: ws.id, secretKey: ws.secretKey });
      assert.equal((await plain.opened.db.selectFrom('payment_methods').select('id').execute()).length, 0);
    } finally {
      plain.close();
    }
  });
});
