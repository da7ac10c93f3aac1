// Stripe through the official `stripe` package. The API base is configurable (STRIPE_API_BASE) so the tests run it
// against the local fake Stripe server (fake-stripe.ts) that speaks the same HTTP API for the calls used here.
import Stripe from 'stripe';
import { parseStripeWebhook } from './stripe-events.js';
import { ProviderError, type CardCollection, type ChargeInput, type ChargeResult, type PaymentProvider, type ProviderEvent, type ProviderPaymentMethod, type RefundResult, type SetupIntentStart } from './provider.js';

export interface StripeOptions {
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** Default https://api.stripe.com; tests point it at the fake Stripe server (http://127.0.0.1:<port>). */
  apiBase?: string;
  /** Where the browser loads Stripe.js from (default https://js.stripe.com/v3/). */
  stripeJsUrl?: string;
  timeoutMs?: number;
}

export const DEFAULT_STRIPE_JS = 'https://js.stripe.com/v3/';

function pmJson(pm: Stripe.PaymentMethod, customerId: string): ProviderPaymentMethod {
  const card = pm.card;
  return { id: pm.id, customerId, brand: card?.brand ?? 'unknown', last4: card?.last4 ?? '', expMonth: card?.exp_month ?? 0, expYear: card?.exp_year ?? 0 };
}

/** The stripe package puts the request id before Stripe's message ("[req_…] Your card…"): users get the message. */
const plain = (message: string) => message.replace(/^\[req_[A-Za-z0-9]+\]\s*/, '');

/** Card errors are results; everything else Stripe refuses (bad key, unknown object) or an outage is a ProviderError. */
function providerError(err: unknown): ProviderError {
  if (err instanceof Stripe.errors.StripeError) {
    const retryable = err.type === 'StripeConnectionError' || err.type === 'StripeAPIError' || err.type === 'StripeRateLimitError';
    return new ProviderError(`Stripe: ${plain(err.message)}`, err.code ?? 'provider_error', retryable);
  }
  return new ProviderError(`Stripe unreachable: ${(err as Error).message}`, 'provider_unreachable', true);
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly opts: StripeOptions) {
    const base = opts.apiBase ? new URL(opts.apiBase) : null;
    this.stripe = new Stripe(opts.secretKey, {
      maxNetworkRetries: 1,
      timeout: opts.timeoutMs ?? 20_000,
      ...(base && { host: base.hostname, port: Number(base.port || (base.protocol === 'http:' ? 80 : 443)), protocol: base.protocol.replace(':', '') as 'http' | 'https' }),
    });
  }

  cardCollection(): CardCollection {
    return { provider: 'stripe', publishableKey: this.opts.publishableKey, stripeJsUrl: this.opts.stripeJsUrl ?? DEFAULT_STRIPE_JS };
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw providerError(err);
    }
  }

  createCustomer(input: { name: string; email: string | null; metadata: Record<string, string> }, idempotencyKey: string): Promise<string> {
    return this.call(async () => (await this.stripe.customers.create({ name: input.name, ...(input.email && { email: input.email }), metadata: input.metadata }, { idempotencyKey })).id);
  }

  createSetupIntent(customerId: string, metadata: Record<string, string>): Promise<SetupIntentStart> {
    return this.call(async () => {
      const si = await this.stripe.setupIntents.create({ customer: customerId, usage: 'off_session', metadata });
      return { id: si.id, clientSecret: si.client_secret ?? '' };
    });
  }

  async completeSetup(setupIntentId: string, customerId: string): Promise<ProviderPaymentMethod> {
    const si = await this.call(() => this.stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] }));
    const customer = typeof si.customer === 'string' ? si.customer : si.customer?.id;
    if (customer !== customerId) throw new ProviderError('This setup intent belongs to another customer.', 'setup_intent_unexpected_state');
    if (si.status !== 'succeeded' || !si.payment_method) throw new ProviderError(`The card was not confirmed (setup intent ${si.status}).`, 'setup_intent_unexpected_state');
    const pm = typeof si.payment_method === 'string' ? await this.call(() => this.stripe.paymentMethods.retrieve(si.payment_method as string)) : si.payment_method;
    return pmJson(pm, customerId);
  }

  listPaymentMethods(customerId: string): Promise<ProviderPaymentMethod[]> {
    return this.call(async () => (await this.stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 100 })).data.map((pm) => pmJson(pm, customerId)));
  }

  async detachPaymentMethod(paymentMethodId: string): Promise<void> {
    await this.call(() => this.stripe.paymentMethods.detach(paymentMethodId));
  }

  async chargeSaved(input: ChargeInput): Promise<ChargeResult> {
    try {
      const pi = await this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency,
          customer: input.customerId,
          payment_method: input.paymentMethodId,
          off_session: true,
          confirm: true,
          description: input.description || undefined,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      if (pi.status === 'succeeded') return { status: 'succeeded', providerChargeId: pi.id };
      const error = pi.last_payment_error;
      return { status: 'failed', providerChargeId: pi.id, code: error?.code ?? pi.status, declineCode: error?.decline_code ?? null, message: error?.message ?? `The payment is ${pi.status}.` };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        const raw = err.raw as { payment_intent?: { id?: string } };
        return { status: 'failed', providerChargeId: raw.payment_intent?.id ?? null, code: err.code ?? 'card_declined', declineCode: err.decline_code ?? null, message: plain(err.message) };
      }
      throw providerError(err);
    }
  }

  async refund(input: { providerChargeId: string; amount: number; idempotencyKey: string; metadata: Record<string, string> }): Promise<RefundResult> {
    const re = await this.call(() => this.stripe.refunds.create({ payment_intent: input.providerChargeId, amount: input.amount, metadata: input.metadata }, { idempotencyKey: input.idempotencyKey }));
    if (re.status === 'failed' || re.status === 'canceled') return { status: 'failed', providerRefundId: re.id, code: re.failure_reason ?? 'refund_failed', message: `The refund ${re.status}.` };
    return { status: re.status === 'succeeded' ? 'succeeded' : 'pending', providerRefundId: re.id };
  }

  parseWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent {
    return parseStripeWebhook(rawBody, signatureHeader, this.opts.webhookSecret);
  }
}
