// The payment provider seam: everything Dossier asks of Stripe (or of the test provider that behaves like Stripe's
// test mode). Amounts are integer minor units (cents) with an ISO 4217 currency in lower case, as Stripe has them.
// Card numbers never pass through here: the browser hands them to the provider (Stripe.js, or the test provider's
// own tokenizing endpoint) and Dossier only sees the resulting payment method id, brand, last four and expiry.

export type ProviderName = 'stripe' | 'test';

/** What the browser needs to collect a card without sending its number to Dossier. */
export type CardCollection =
  | { provider: 'stripe'; publishableKey: string; stripeJsUrl: string }
  | { provider: 'test'; tokenizeUrl: string };

export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface ProviderPaymentMethod extends CardDetails {
  id: string;
  customerId: string;
}

export interface SetupIntentStart {
  id: string;
  /** Handed to the browser (Stripe.js `confirmCardSetup`, or the test tokenizer). */
  clientSecret: string;
}

export type ChargeResult =
  | { status: 'succeeded'; providerChargeId: string }
  | { status: 'failed'; providerChargeId: string | null; code: string; declineCode: string | null; message: string };

export type RefundResult =
  | { status: 'succeeded'; providerRefundId: string }
  /** Accepted; the provider's webhook says later whether it succeeded. */
  | { status: 'pending'; providerRefundId: string }
  | { status: 'failed'; providerRefundId: string | null; code: string; message: string };

export interface ChargeInput {
  customerId: string;
  paymentMethodId: string;
  amount: number;
  currency: string;
  /** Sent as the provider's Idempotency-Key: a retried request never charges twice. */
  idempotencyKey: string;
  description: string;
  /** Copied onto the provider's object so webhooks find their way back (workspace, contact, Dossier charge id). */
  metadata: Record<string, string>;
}

/**
 * A provider event, reduced to what the ledger needs. `kind: 'ignored'` for types Dossier does not reconcile.
 * `metadata` is the Dossier metadata of the payment (workspace, contact, charge id) the event is about.
 */
export interface ProviderEvent {
  id: string;
  /** The provider's event type, as sent (payment_intent.succeeded, charge.refunded, …). */
  type: string;
  kind: 'payment.succeeded' | 'payment.failed' | 'refund.succeeded' | 'refund.failed' | 'ignored';
  /** When the provider says it happened (ms). */
  createdAt: number;
  providerChargeId: string | null;
  providerRefundId: string | null;
  amount: number | null;
  currency: string | null;
  failure: { code: string; declineCode: string | null; message: string } | null;
  metadata: Record<string, string>;
}

/** A webhook whose signature does not verify (wrong secret, altered body, too old). */
export class WebhookSignatureError extends Error {}

/** The provider refused or could not be reached for something other than a card decline. */
export class ProviderError extends Error {
  constructor(message: string, readonly code = 'provider_error', readonly retryable = false) {
    super(message);
  }
}

export interface PaymentProvider {
  readonly name: ProviderName;
  cardCollection(): CardCollection;
  /** A provider customer for a Dossier contact (one per contact and provider, kept in payment_customers). */
  createCustomer(input: { name: string; email: string | null; metadata: Record<string, string> }, idempotencyKey: string): Promise<string>;
  createSetupIntent(customerId: string, metadata: Record<string, string>): Promise<SetupIntentStart>;
  /** The card a confirmed setup intent saved; refuses one not confirmed or of another customer. */
  completeSetup(setupIntentId: string, customerId: string, paymentMethodId?: string): Promise<ProviderPaymentMethod>;
  listPaymentMethods(customerId: string): Promise<ProviderPaymentMethod[]>;
  detachPaymentMethod(paymentMethodId: string): Promise<void>;
  /** Charges a saved card off-session. Declines are results, not exceptions; outages throw ProviderError. */
  chargeSaved(input: ChargeInput): Promise<ChargeResult>;
  /** Refunds all (amount omitted) or part of a succeeded charge. */
  refund(input: { providerChargeId: string; amount: number; idempotencyKey: string; metadata: Record<string, string> }): Promise<RefundResult>;
  /** Verifies the signature header against the raw body and reduces the event; throws WebhookSignatureError. */
  parseWebhook(rawBody: string, signatureHeader: string | undefined): ProviderEvent;
}
