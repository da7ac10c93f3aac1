// Demo payments: cards on file, charges (two succeeded, one declined), a partial refund and subscriptions on the
// newest contacts — the record the demo opens first among them — so the Payments tab shows a real history. Done
// through the API with the secret key and the test provider's tokenizing endpoint, exactly as the widget and a host
// backend would: the ledger, provider ids, audit rows, webhooks and the Activity timeline are the real thing. Needs
// the test provider (the demo's default) and the billing seed's price list; written once per workspace. What each call
// wrote is then dated back (cards weeks ago, charges spread over the last month, a refund the day after its charge) so
// the history reads like one; subscriptions start today.
import type { OpenedDb } from '../db/connection.js';
import type { App } from '../app.js';

interface Plan {
  /** Card numbers from the test provider's table (0002 saves but declines when charged). */
  cards: { number: string; label?: string }[];
  /** Charges by card index; `refund` refunds that much of it afterwards. */
  charges: { card: number; amount: number; description: string; refund?: { amount: number; reason: string } }[];
  /** Recurring products (by name) subscribed on the first card; `cancel` cancels it at once. */
  subscriptions: { product: string; quantity?: string; cancel?: boolean }[];
}

/** Newest contact first: the demo opens it first, so it has everything to show. */
export const DEMO_PAYMENTS: Plan[] = [
  {
    cards: [{ number: '4242424242424242', label: 'Company card' }, { number: '5555555555554444', label: 'Personal' }, { number: '4000000000000002', label: 'Old card' }],
    charges: [
      { card: 0, amount: 45_000, description: 'Onboarding workshop', refund: { amount: 7_500, reason: 'Workshop ended an hour early' } },
      { card: 1, amount: 4_500, description: 'Extra seats ×3' },
      { card: 2, amount: 4_900, description: 'Pro plan (first month)' },
    ],
    subscriptions: [{ product: 'Pro plan' }, { product: 'Annual support', cancel: true }],
  },
  { cards: [{ number: '378282246310005' }], charges: [{ card: 0, amount: 12_000, description: 'Consultation (2 hours)' }], subscriptions: [{ product: 'Pro plan', quantity: '3' }] },
  { cards: [{ number: '6011111111111117', label: 'Travel card' }], charges: [], subscriptions: [] },
];

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Dates back what the seed's last call wrote for one contact (every row it wrote is dated at or after `since`; rows
 * already dated back are older, so each call's rows move once): cards, charges, refunds, ledger entries, audit rows.
 */
async function dateBack(opened: OpenedDb, contactId: string, since: number, at: number) {
  const db = opened.db;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('payment_methods').set({ created_at: at }).where('contact_id', '=', contactId).where('created_at', '>=', since).execute();
    await trx.updateTable('payment_charges').set({ created_at: at, updated_at: at }).where('contact_id', '=', contactId).where('created_at', '>=', since).execute();
    await trx.updateTable('payment_refunds').set({ created_at: at, updated_at: at }).where('contact_id', '=', contactId).where('created_at', '>=', since).execute();
    await trx.updateTable('payment_ledger').set({ occurred_at: at }).where('contact_id', '=', contactId).where('occurred_at', '>=', since).execute();
    await trx.updateTable('audit_events').set({ at }).where('contact_id', '=', contactId).where('action', 'like', 'payment.%').where('at', '>=', since).execute();
  });
}

/** `clock`: the app's (the rows it writes are dated by it). */
export async function ensureDemoPayments(app: App, opened: OpenedDb, demo: { workspaceId: string; secretKey: string }, plans: Plan[] = DEMO_PAYMENTS, clock: () => number = Date.now): Promise<void> {
  if (await opened.db.selectFrom('payment_methods').select('id').where('workspace_id', '=', demo.workspaceId).limit(1).executeTakeFirst()) return;
  const headers = { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' };
  const request = async <T>(method: string, path: string, body?: unknown, expect = [200, 201]): Promise<{ status: number; body: T }> => {
    const res = await app.request(path.startsWith('/test-provider') ? path : `/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = (await res.json()) as T;
    if (!expect.includes(res.status)) throw new Error(`demo payments ${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return { status: res.status, body: answer };
  };
  // Another provider (Stripe, or none) takes no made-up cards: the demo then simply has no payments.
  const config = await app.request('/api/v1/payments/config', { headers });
  if (config.status !== 200 || ((await config.json()) as { provider?: { provider?: string } }).provider?.provider !== 'test') return;
  const products = (await request<{ items: { id: string; name: string }[] }>('GET', '/products')).body.items;
  const contacts = await opened.db.selectFrom('contacts').select('id').where('workspace_id', '=', demo.workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(plans.length).execute();
  const year = new Date().getUTCFullYear() + 3;

  for (const [i, contact] of contacts.entries()) {
    const plan = plans[i]!;
    const base = `/contacts/${contact.id}`;
    const cards: string[] = [];
    const now = clock();
    /** Runs one seeding step, then dates what it wrote back to `daysAgo` days ago. */
    const dated = async <T>(daysAgo: number, step: () => Promise<T>): Promise<T> => {
      const since = clock();
      const out = await step();
      // Office hours (UTC) on that day, a different hour and minute per step.
      const day = Math.floor((now - daysAgo * DAY) / DAY) * DAY;
      await dateBack(opened, contact.id, since, Math.min(now - HOUR, day + (9 + ((i * 7 + daysAgo) % 8)) * HOUR + ((daysAgo * 13) % 60) * 60_000));
      return out;
    };
    for (const card of plan.cards) {
      // As the widget does: a setup intent, the number to the provider's endpoint only, the payment method id to Dossier.
      await dated(45 - cards.length * 4, async () => {
        const setup = (await request<{ setupIntentId: string; clientSecret: string; collection: { tokenizeUrl: string } }>('POST', `${base}/payments/cards/setup`, {})).body;
        const pm = await request<{ paymentMethodId: string }>('POST', new URL(setup.collection.tokenizeUrl, 'http://localhost').pathname, { clientSecret: setup.clientSecret, number: card.number, expMonth: 4 + cards.length * 3, expYear: year, cvc: '123' }, [200]);
        cards.push((await request<{ id: string }>('POST', `${base}/payments/cards`, { setupIntentId: setup.setupIntentId, paymentMethodId: pm.body.paymentMethodId, ...(card.label && { label: card.label }) })).body.id);
      });
    }
    for (const [k, charge] of plan.charges.entries()) {
      // A decline answers 402 and is recorded in the ledger as a failed attempt.
      // Spread over the last month, oldest first: 30, 17 and 3 days ago for three.
      const daysAgo = Math.round(30 - (k * 27) / Math.max(1, plan.charges.length - 1));
      const made = await dated(daysAgo, () => request<{ id: string }>('POST', `${base}/payments/charges`, { cardId: cards[charge.card], amount: charge.amount, currency: 'usd', description: charge.description, idempotencyKey: `demo-seed-${contact.id}-charge-${k}` }, [201, 402]));
      if (charge.refund && made.status === 201) {
        await dated(daysAgo - 1, () => request('POST', `${base}/payments/charges/${made.body.id}/refunds`, { ...charge.refund, idempotencyKey: `demo-seed-${contact.id}-refund-${k}` }));
      }
    }
    for (const sub of plan.subscriptions) {
      const product = products.find((p) => p.name === sub.product);
      if (!product) throw new Error(`demo payments: no product "${sub.product}" (the billing seed writes the price list first)`);
      // Starting now: the billing runner charges the first period within the minute, so the subscription shows active.
      const made = (await request<{ id: string }>('POST', `${base}/subscriptions`, { productId: product.id, startAt: sub.cancel ? Date.now() + 7 * DAY : Date.now(), paymentMethodId: cards[0], ...(sub.quantity && { quantity: sub.quantity }) })).body;
      if (sub.cancel) await request('POST', `${base}/subscriptions/${made.id}/cancel`, {});
    }
  }
}
