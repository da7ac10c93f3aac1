// Picks the payment provider from the environment (main.ts): PAYMENTS_PROVIDER=stripe (STRIPE_SECRET_KEY,
// STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE and STRIPE_JS_URL optional) or test (the test
// provider; PAYMENTS_TEST_WEBHOOK_SECRET optional). Unset: no payments (the routes answer 503 payments_not_configured).
import { createHash } from 'node:crypto';
import type { PaymentProvider } from './provider.js';
import { StripeProvider } from './stripe-provider.js';
import { TestProvider } from './testmode-provider.js';

/** Where the test provider's tokenizing endpoint is mounted (outside /api/v1: it is the provider's, not Dossier's). */
export const TEST_PROVIDER_PATH = '/test-provider/v1';

/** The test provider; `tokenizeUrl` relative to the server's origin unless given whole. */
export function testProvider(tokenSecret: string, webhookSecret?: string, tokenizeUrl = `${TEST_PROVIDER_PATH}/tokens`) {
  const derive = (what: string) => createHash('sha256').update(`${what}:${tokenSecret}`).digest('base64url');
  return new TestProvider({ secret: derive('test-provider'), tokenizeUrl, webhookSecret: webhookSecret ?? `whsec_${derive('test-webhooks')}` });
}

export function paymentsFromEnv(env: NodeJS.ProcessEnv, tokenSecret: string): PaymentProvider | undefined {
  const kind = env.PAYMENTS_PROVIDER?.trim();
  if (!kind) return undefined;
  if (kind === 'test') return testProvider(tokenSecret, env.PAYMENTS_TEST_WEBHOOK_SECRET || undefined);
  if (kind === 'stripe') {
    const missing = ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET'].filter((k) => !env[k]);
    if (missing.length) throw new Error(`PAYMENTS_PROVIDER=stripe needs ${missing.join(', ')}.`);
    return new StripeProvider({
      secretKey: env.STRIPE_SECRET_KEY!,
      publishableKey: env.STRIPE_PUBLISHABLE_KEY!,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
      apiBase: env.STRIPE_API_BASE || undefined,
      stripeJsUrl: env.STRIPE_JS_URL || undefined,
    });
  }
  throw new Error(`PAYMENTS_PROVIDER must be "stripe" or "test" (got "${kind}").`);
}

export const describePayments = (p: PaymentProvider | undefined) => (p ? `payments via the ${p.name === 'stripe' ? 'Stripe' : 'test'} provider` : 'payments off (PAYMENTS_PROVIDER unset)');
