// The test provider: behaves like Stripe's test mode without a network or an account, for the demo, Storybook and
// component tests. Card numbers ending 4242 (and any other valid one) succeed; 0002 declines (card_declined), 9995
// declines for insufficient funds, 0069 as expired, 0127 for a wrong CVC. Unlike Stripe (which refuses 0002 when it
// is saved), every valid card can be saved and declines when charged — like Stripe's 4000 0000 0000 0341 — so the
// decline path shows in the Charge dialog.
//
// Like Stripe, the card number goes from the browser to the provider's own endpoint (testProviderRoutes, mounted at
// /test-provider/v1, apart from the Dossier API and never touching its database), which answers a payment method id.
// That id carries the brand, last four and expiry, signed, so the provider keeps no state across restarts; charges and
// refunds are remembered per idempotency key in memory, as Stripe does for 24 hours.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { parseStripeWebhook } from './stripe-events.js';
import { ProviderError, type CardCollection, type ChargeInput, type ChargeResult, type PaymentProvider, type ProviderEvent, type ProviderPaymentMethod, type RefundResult, type SetupIntentStart } from './provider.js';

export interface TestProviderOptions {
  /** Signs setup intents and payment method tokens (any secret of the server). */
  secret: string;
  /** Where the browser posts the card: the tokenizing endpoint (`<origin>/test-provider/v1/tokens`). */
  tokenizeUrl: string;
  /** Webhook signing secret, Stripe's scheme (whsec_…); events a test or host posts must be signed with it. */
  webhookSecret: string;
}

const DECLINES: Record<string, { code: string; declineCode: string | null; message: string }> = {
  '0002': { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  '9995': { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '0069': { code: 'expired_card', declineCode: null, message: 'Your card has expired.' },
  '0127': { code: 'incorrect_cvc', declineCode: null, message: 'Your card’s security code is incorrect.' },
};

export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^6(011|5)/.test(number)) return 'discover';
  return 'unknown';
}

export function luhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return number.length >= 12 && sum % 10 === 0;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const unb64 = <T>(s: string): T | null => {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString()) as T;
  } catch {
    return null;
  }
};

interface CardToken {
  b: string;
  l: string;
  m: number;
  y: number;
  /** The setup intent it confirmed. */
  s: string;
}

export class TestProvider implements PaymentProvider {
  readonly name = 'test' as const;
  private readonly charges = new Map<string, ChargeResult & { amount: number; refunded: number }>();
  private readonly refunds = new Map<string, RefundResult>();
  private readonly attached = new Map<string, ProviderPaymentMethod>();

  constructor(private readonly opts: TestProviderOptions) {}

  private mac(text: string) {
    return createHmac('sha256', this.opts.secret).update(text).digest('base64url').slice(0, 32);
  }
  private verify(text: string, mac: string) {
    const want = Buffer.from(this.mac(text));
    const got = Buffer.from(mac);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  cardCollection(): CardCollection {
    return { provider: 'test', tokenizeUrl: this.opts.tokenizeUrl };
  }

  async createCustomer(): Promise<string> {
    return `cus_test_${randomBytes(9).toString('base64url')}`;
  }

  async createSetupIntent(customerId: string): Promise<SetupIntentStart> {
    const nonce = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
    const id = `seti_test_${nonce}`;
    return { id, clientSecret: `${id}_secret_${this.mac(`seti:${id}:${customerId}`)}` };
  }

  /** The tokenizing endpoint's work: checks the card and the client secret, answers a signed payment method id. */
  tokenize(input: { clientSecret: string; number: string; expMonth: number; expYear: number; cvc: string }, now: Date): { paymentMethodId: string; brand: string; last4: string } {
    const match = /^(seti_test_[A-Za-z0-9]+)_secret_[A-Za-z0-9_-]+$/.exec(input.clientSecret);
    if (!match) throw new ProviderError('Unknown setup intent.', 'resource_missing');
    const number = input.number.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) throw new ProviderError('Your card number is incorrect.', 'incorrect_number');
    const year = input.expYear < 100 ? 2000 + input.expYear : input.expYear;
    if (!(input.expMonth >= 1 && input.expMonth <= 12) || year * 12 + input.expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
      throw new ProviderError('Your card’s expiration date is invalid or in the past.', 'invalid_expiry');
    }
    if (!/^\d{3,4}$/.test(input.cvc)) throw new ProviderError('Your card’s security code is incomplete.', 'incomplete_cvc');
    const token: CardToken = { b: cardBrand(number), l: number.slice(-4), m: input.expMonth, y: year, s: match[1]! };
    const body = b64(token);
    return { paymentMethodId: `pm_test_${body}.${this.mac(`pm:${body}`)}`, brand: token.b, last4: token.l };
  }

  private card(paymentMethodId: string): CardToken | null {
    const m = /^pm_test_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(paymentMethodId);
    if (!m || !this.verify(`pm:${m[1]}`, m[2]!)) return null;
    return unb64<CardToken>(m[1]!);
  }

  async completeSetup(setupIntentId: string, customerId: string, paymentMethodId?: string): Promise<ProviderPaymentMethod> {
    const card = paymentMethodId ? this.card(paymentMethodId) : null;
    if (!card || card.s !== setupIntentId) throw new ProviderError('The card was not confirmed for this setup intent.', 'setup_intent_unexpected_state');
    const pm = { id: paymentMethodId!, customerId, brand: card.b, last4: card.l, expMonth: card.m, expYear: card.y };
    this.attached.set(pm.id, pm);
    return pm;
  }

  async listPaymentMethods(customerId: string): Promise<ProviderPaymentMethod[]> {
    return [...this.attached.values()].filter((p) => p.customerId === customerId);
  }

  async detachPaymentMethod(paymentMethodId: string): Promise<void> {
    this.attached.delete(paymentMethodId);
  }

  async chargeSaved(input: ChargeInput): Promise<ChargeResult> {
    const seen = this.charges.get(input.idempotencyKey);
    if (seen) return seen;
    const card = this.card(input.paymentMethodId);
    if (!card) throw new ProviderError(`No such payment method: ${input.paymentMethodId}`, 'resource_missing');
    const id = `pi_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
    const decline = DECLINES[card.l];
    const result: ChargeResult = decline ? { status: 'failed', providerChargeId: id, ...decline } : { status: 'succeeded', providerChargeId: id };
    this.charges.set(input.idempotencyKey, { ...result, amount: input.amount, refunded: 0 });
    return result;
  }

  async refund(input: { providerChargeId: string; amount: number; idempotencyKey: string }): Promise<RefundResult> {
    const seen = this.refunds.get(input.idempotencyKey);
    if (seen) return seen;
    if (!input.providerChargeId.startsWith('pi_test_')) throw new ProviderError(`No such payment intent: ${input.providerChargeId}`, 'resource_missing');
    const result: RefundResult = { status: 'succeeded', providerRefundId: `re_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}` };
    this.refunds.set(input.idempotencyKey, result);
    return result;
  }

  parseWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent {
    return parseStripeWebhook(rawBody, signatureHeader, this.opts.webhookSecret);
  }
}

/**
 * The test provider's tokenizing endpoint, as Stripe's API is to Stripe.js: the browser posts the card here with the
 * setup intent's client secret and gets a payment method id. Open to any origin (no credentials), like api.stripe.com.
 */
export function testProviderRoutes(provider: TestProvider, now: () => number) {
  return new Hono().use(cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['content-type'] })).post('/tokens', async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const str = (k: string) => (typeof body?.[k] === 'string' ? (body[k] as string) : '');
    try {
      const out = provider.tokenize({ clientSecret: str('clientSecret'), number: str('number'), expMonth: Number(body?.expMonth), expYear: Number(body?.expYear), cvc: str('cvc') }, new Date(now()));
      return c.json(out);
    } catch (err) {
      const e = err as ProviderError;
      return c.json({ error: { code: e.code ?? 'invalid_request', message: e.message, details: { field: fieldOf(e.code) } } }, 402);
    }
  });
}

const fieldOf = (code: string) => (code === 'incorrect_number' ? 'number' : code === 'invalid_expiry' ? 'expiry' : code.includes('cvc') ? 'cvc' : null);
