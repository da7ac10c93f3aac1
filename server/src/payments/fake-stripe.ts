// A local fake of Stripe's HTTP API for the calls the Stripe provider makes (test-only, like the WhatsApp tests'
// fake Graph API): customers, setup intents (created by the server, confirmed as Stripe.js would), payment methods
// (list, retrieve, detach), payment intents (confirm off-session) with Stripe's test cards, refunds, and the
// Idempotency-Key header (a repeated key answers the first answer, as Stripe does). Form-encoded bodies, Bearer key.
// For browser tests it also serves a fake Stripe.js (`/stripe.js`: Elements with one card field, confirmCardSetup)
// whose confirm call uses the publishable key and the intent's client secret, as the real one does.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardBrand } from './testmode-provider.js';
import { signStripePayload } from './stripe-events.js';

type Obj = Record<string, any>;

/** Stripe's test cards by number: what confirming a setup intent or charging them does. */
const CARDS: Record<string, { setup?: Obj; charge?: Obj }> = {
  '4000000000000002': { setup: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
  '4000000000009995': { charge: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } },
  '4000000000000341': { charge: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
};
/** Stripe's test payment method tokens. */
const TOKENS: Record<string, string> = { pm_card_visa: '4242424242424242', pm_card_chargeDeclined: '4000000000000002', pm_card_chargeDeclinedInsufficientFunds: '4000000000009995', pm_card_chargeCustomerFail: '4000000000000341' };

/** `a[b][0]=x&c=y` → { a: { b: ['x'] }, c: 'y' } (the qs encoding the stripe package sends). */
export function parseForm(body: string): Obj {
  const out: Obj = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const path = k.replace(/\]/g, '').split('[');
    let at = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) at[part] = v;
      else at = at[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    });
  }
  return out;
}

const id = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;

export class FakeStripe {
  readonly customers = new Map<string, Obj>();
  readonly setupIntents = new Map<string, Obj>();
  readonly paymentMethods = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  /** Every request, for assertions (method, path, idempotency key). */
  readonly requests: { method: string; path: string; idempotencyKey: string | null }[] = [];
  private readonly idempotent = new Map<string, { status: number; body: string }>();
  /** Requests to answer with a 500 before anything else (an outage), after doing the work (the outcome is then unknown). */
  failAfterWork = 0;
  private server?: Server;
  url = '';

  constructor(readonly secretKey = 'sk_test_fake', readonly webhookSecret = 'whsec_fake', readonly publishableKey = 'pk_test_fake') {}

  async start(): Promise<this> {
    this.server = createServer(this.handler);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** Confirms a setup intent with a card number or test token, as Stripe.js does in the browser. */
  confirmSetup(setupIntentId: string, card: string, exp = { month: 12, year: 2034 }): Obj {
    const si = this.setupIntents.get(setupIntentId);
    if (!si) throw new Error(`No setup intent ${setupIntentId}`);
    const number = TOKENS[card] ?? card.replace(/\s/g, '');
    const setupError = CARDS[number]?.setup;
    if (setupError) {
      si.status = 'requires_payment_method';
      si.last_setup_error = { type: 'card_error', ...setupError };
      return si;
    }
    const pm = { id: id('pm'), object: 'payment_method', type: 'card', customer: si.customer, card: { brand: cardBrand(number), last4: number.slice(-4), exp_month: exp.month, exp_year: exp.year }, metadata: {}, _number: number };
    this.paymentMethods.set(pm.id, pm);
    Object.assign(si, { status: 'succeeded', payment_method: pm.id });
    return si;
  }

  /**
   * What a publishable key may do (the browser's Stripe.js): confirm a setup intent it holds the client secret of.
   * A declined card answers 402 with the card error and the intent, as Stripe does.
   */
  private handlePublishable(res: ServerResponse, url: URL, body: Obj) {
    const [, resource, objId, action] = url.pathname.split('/').filter(Boolean);
    const si = resource === 'setup_intents' && action === 'confirm' ? this.setupIntents.get(objId!) : undefined;
    if (!si || body.client_secret !== si.client_secret) {
      return this.error(res, 401, { type: 'invalid_request_error', message: 'This API call cannot be made with a publishable API key.' });
    }
    const card = body.payment_method_data?.card ?? {};
    const confirmed = this.confirmSetup(si.id, card.number ?? '', { month: Number(card.exp_month) || 12, year: Number(card.exp_year) || 2034 });
    if (confirmed.status !== 'succeeded') return this.error(res, 402, { ...confirmed.last_setup_error, setup_intent: confirmed });
    return this.send(res, 200, confirmed);
  }

  /** A webhook event as Stripe would post it, with its Stripe-Signature header. */
  event(type: string, object: Obj, opts: { id?: string; created?: number; secret?: string } = {}) {
    const body = JSON.stringify({ id: opts.id ?? id('evt'), object: 'event', type, created: opts.created ?? Math.floor(Date.now() / 1000), data: { object }, livemode: false, api_version: '2025-01-01', pending_webhooks: 1, request: { id: null, idempotency_key: null } });
    return { body, signature: signStripePayload(body, opts.secret ?? this.webhookSecret) };
  }

  private send(res: ServerResponse, status: number, body: Obj, key?: string | null) {
    const text = JSON.stringify(body);
    if (key) this.idempotent.set(key, { status, body: text });
    if (this.failAfterWork > 0) {
      this.failAfterWork--;
      return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
    }
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') }).end(text);
  }

  private error(res: ServerResponse, status: number, error: Obj, key?: string | null) {
    this.send(res, status, { error }, key);
  }

  /** The HTTP handler (also mountable under a prefix of another server: pass `req.url` without the prefix). */
  readonly handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/stripe.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(FAKE_STRIPE_JS);
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    this.requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key });
    if (req.headers.authorization === `Bearer ${this.publishableKey}`) return this.handlePublishable(res, url, parseForm(Buffer.concat(chunks).toString()));
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) return this.error(res, 401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });
    const scopedKey = key && `${req.method} ${url.pathname} ${key}`;
    const seen = scopedKey ? this.idempotent.get(scopedKey) : undefined;
    if (seen && this.failAfterWork > 0) {
      this.failAfterWork--;
      return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
    }
    if (seen) return void res.writeHead(seen.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' }).end(seen.body);
    const body = req.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(Buffer.concat(chunks).toString());
    const parts = url.pathname.split('/').filter(Boolean); // v1, resource, id?, action?
    const [, resource, objId, action] = parts;
    const missing = (what: string) => this.error(res, 404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${objId}'` }, scopedKey);

    if (resource === 'customers' && req.method === 'POST' && !objId) {
      const c = { id: id('cus'), object: 'customer', name: body.name ?? null, email: body.email ?? null, metadata: body.metadata ?? {} };
      this.customers.set(c.id, c);
      return this.send(res, 200, c, scopedKey);
    }
    if (resource === 'setup_intents') {
      if (req.method === 'POST' && !objId) {
        if (!this.customers.has(body.customer)) return this.error(res, 400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${body.customer}'` });
        const si_id = id('seti');
        const si = { id: si_id, object: 'setup_intent', client_secret: `${si_id}_secret_${randomBytes(8).toString('hex')}`, customer: body.customer, status: 'requires_payment_method', usage: body.usage ?? 'off_session', payment_method: null, metadata: body.metadata ?? {} };
        this.setupIntents.set(si.id, si);
        return this.send(res, 200, si, scopedKey);
      }
      const si = this.setupIntents.get(objId!);
      if (!si) return missing('setup_intent');
      if (req.method === 'POST' && action === 'confirm') return this.send(res, 200, this.confirmSetup(si.id, body.payment_method ?? body.payment_method_data?.card?.number ?? ''), scopedKey);
      const expand = Object.values((body.expand ?? {}) as Obj);
      const pm = expand.includes('payment_method') && si.payment_method ? this.pmJson(this.paymentMethods.get(si.payment_method)!) : si.payment_method;
      return this.send(res, 200, { ...si, payment_method: pm });
    }
    if (resource === 'payment_methods') {
      if (req.method === 'GET' && !objId) {
        const data = [...this.paymentMethods.values()].filter((p) => p.customer === body.customer).map((p) => this.pmJson(p));
        return this.send(res, 200, { object: 'list', data, has_more: false, url: '/v1/payment_methods' });
      }
      const pm = this.paymentMethods.get(objId!);
      if (!pm) return missing('payment_method');
      if (req.method === 'POST' && action === 'detach') {
        pm.customer = null;
        return this.send(res, 200, this.pmJson(pm), scopedKey);
      }
      return this.send(res, 200, this.pmJson(pm));
    }
    if (resource === 'payment_intents' && req.method === 'POST' && !objId) {
      const pm = this.paymentMethods.get(body.payment_method);
      if (!pm || pm.customer !== body.customer) return this.error(res, 400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such PaymentMethod: '${body.payment_method}'` }, scopedKey);
      const pi: Obj = { id: id('pi'), object: 'payment_intent', amount: Number(body.amount), amount_received: 0, currency: body.currency, customer: body.customer, payment_method: pm.id, description: body.description ?? null, metadata: body.metadata ?? {}, status: 'succeeded', last_payment_error: null };
      this.paymentIntents.set(pi.id, pi);
      const decline = CARDS[pm._number]?.charge;
      if (decline) {
        Object.assign(pi, { status: 'requires_payment_method', last_payment_error: { type: 'card_error', ...decline } });
        return this.error(res, 402, { type: 'card_error', ...decline, payment_intent: pi }, scopedKey);
      }
      pi.amount_received = pi.amount;
      return this.send(res, 200, pi, scopedKey);
    }
    if (resource === 'refunds' && req.method === 'POST' && !objId) {
      const pi = this.paymentIntents.get(body.payment_intent);
      if (!pi || pi.status !== 'succeeded') return this.error(res, 400, { type: 'invalid_request_error', code: 'charge_not_refundable', message: 'This payment cannot be refunded.' }, scopedKey);
      const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === pi.id).reduce((s, r) => s + r.amount, 0);
      const amount = body.amount ? Number(body.amount) : pi.amount - refunded;
      if (amount > pi.amount - refunded) return this.error(res, 400, { type: 'invalid_request_error', code: 'amount_too_large', message: 'Refund amount is greater than unrefunded amount on charge.' }, scopedKey);
      const re = { id: id('re'), object: 'refund', amount, currency: pi.currency, payment_intent: pi.id, status: 'succeeded', metadata: body.metadata ?? {} };
      this.refunds.set(re.id, re);
      return this.send(res, 200, re, scopedKey);
    }
    return this.error(res, 404, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}).` });
  }

  private pmJson(pm: Obj) {
    const { _number: _n, ...rest } = pm;
    return rest;
  }
}

/**
 * A stand-in for https://js.stripe.com/v3/ with the calls card-entry.ts makes: `Stripe(pk).elements().create('card')`
 * mounts one card-number field (the real one mounts an iframe; the number never reaches the embedding page's server
 * either way), and `confirmCardSetup(secret, { payment_method: { card } })` posts it to this fake with the
 * publishable key, answering `{ setupIntent }` or `{ error }` like the real one. API calls go next to the script.
 */
const FAKE_STRIPE_JS = `(() => {
  const api = new URL('v1/', document.currentScript.src);
  const fields = new WeakMap();
  window.Stripe = (publishableKey) => ({
    elements: () => ({
      create: (kind) => {
        const input = Object.assign(document.createElement('input'), { name: 'cardnumber', autocomplete: 'cc-number', inputMode: 'numeric' });
        input.setAttribute('aria-label', 'Card number');
        input.dataset.stripeElement = kind;
        const element = { mount: (el) => el.append(input), destroy: () => input.remove() };
        fields.set(element, input);
        return element;
      },
    }),
    async confirmCardSetup(clientSecret, data) {
      const input = fields.get(data.payment_method.card);
      const id = clientSecret.split('_secret_')[0];
      const body = new URLSearchParams({ client_secret: clientSecret, 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': input ? input.value.replace(/\\s/g, '') : '' });
      const res = await fetch(new URL('setup_intents/' + id + '/confirm', api), { method: 'POST', headers: { authorization: 'Bearer ' + publishableKey, 'content-type': 'application/x-www-form-urlencoded' }, body });
      const out = await res.json();
      return res.ok ? { setupIntent: out } : { error: out.error };
    },
  });
})();
`;
