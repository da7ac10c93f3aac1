// Stripe's webhook events (and the test provider's, which uses the same shape and signature scheme), reduced to what
// the ledger reconciles. Signatures are checked by the stripe package (HMAC-SHA256 of "<t>.<body>", 5 minutes' tolerance).
import Stripe from 'stripe';
import { WebhookSignatureError, type ProviderEvent } from './provider.js';

// Only its webhook helper is used (no network): any key will do.
const offline = new Stripe('sk_offline_signature_check');

/** Verifies the `Stripe-Signature` header and reduces the event. */
export function parseStripeWebhook(rawBody: string, header: string | undefined, secret: string, nowMs?: number): ProviderEvent {
  if (!header) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
  let event: Stripe.Event;
  try {
    event = offline.webhooks.constructEvent(rawBody, header, secret, undefined, undefined, nowMs);
  } catch (err) {
    throw new WebhookSignatureError(`The webhook signature does not match: ${(err as Error).message}`);
  }
  return reduceEvent(event);
}

type Obj = Record<string, unknown> & { id?: string; metadata?: Record<string, string> };

export function reduceEvent(event: Stripe.Event): ProviderEvent {
  const object = event.data.object as unknown as Obj;
  const base: ProviderEvent = {
    id: event.id,
    type: event.type,
    kind: 'ignored',
    createdAt: event.created * 1000,
    providerChargeId: null,
    providerRefundId: null,
    amount: null,
    currency: null,
    failure: null,
    metadata: object.metadata ?? {},
  };
  switch (event.type) {
    case 'payment_intent.succeeded':
      return { ...base, kind: 'payment.succeeded', providerChargeId: object.id ?? null, amount: Number(object.amount_received ?? object.amount), currency: String(object.currency) };
    case 'payment_intent.payment_failed': {
      const error = (object.last_payment_error ?? {}) as { code?: string; decline_code?: string; message?: string };
      return {
        ...base,
        kind: 'payment.failed',
        providerChargeId: object.id ?? null,
        amount: Number(object.amount),
        currency: String(object.currency),
        failure: { code: error.code ?? 'card_declined', declineCode: error.decline_code ?? null, message: error.message ?? 'The payment failed.' },
      };
    }
    case 'refund.created':
    case 'refund.updated':
    case 'charge.refund.updated': {
      const status = String(object.status);
      const kind = status === 'succeeded' ? 'refund.succeeded' : status === 'failed' || status === 'canceled' ? 'refund.failed' : 'ignored';
      return { ...base, kind, providerChargeId: typeof object.payment_intent === 'string' ? object.payment_intent : null, providerRefundId: object.id ?? null, amount: Number(object.amount), currency: String(object.currency) };
    }
    default:
      return base;
  }
}

/** A signed header for a body, as Stripe sends it (the fake Stripe server and tests sign events with it). */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return offline.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined && { timestamp }) });
}
