// Billing's card charges through the payments core: a saved card of the contact, charged by Payments.chargeCard
// (provider, idempotency, charge row, ledger entry, audit and Activity are all theirs), with `source` naming the
// invoice or subscription it is for.
import type { AppDeps } from '../../deps.js';
import { loadWorkspace } from '../../http/auth.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField } from '../../http/errors.js';
import { Payments } from '../../payments/payments.js';
import type { CardCharger } from './charger.js';

export function billingCards(deps: AppDeps): CardCharger {
  const payments = new Payments(deps.db, deps.payments, deps.events);
  return {
    async assertCard(workspaceId, contactId, paymentMethodId, field) {
      const card = await deps.db.selectFrom('payment_methods').select('id').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('id', '=', paymentMethodId).where('removed_at', 'is', null).executeTakeFirst();
      if (!card) throw invalidField(field, `No saved card ${paymentMethodId} for this contact.`);
    },
    async charge(req) {
      const workspace = await loadWorkspace(deps.db, req.workspaceId);
      if (!workspace) return { ok: false, code: 'workspace_gone', reason: 'The workspace no longer exists.' };
      // Billing charges as the workspace (the route checked the member's right; the runner acts for the workspace).
      const caller: Caller = { kind: 'api', workspace, member: null };
      const source = req.ref.invoiceId ? { source: 'invoice', sourceId: req.ref.invoiceId } : { source: 'subscription', sourceId: req.ref.subscriptionId ?? null };
      try {
        const charge = await payments.chargeCard(caller, req.contactId, { cardId: req.paymentMethodId, amount: req.amount, currency: req.currency.toLowerCase(), description: req.description, idempotencyKey: req.idempotencyKey, ...source }, deps.clock.now());
        if (charge.status === 'succeeded') return { ok: true, chargeId: charge.id };
        if (charge.status === 'failed') return { ok: false, code: charge.failure?.code ?? 'card_declined', reason: charge.failure?.message ?? 'The card was declined.' };
        // Pending (the provider's answer was lost): the same key asks again next time.
        throw new ApiError(502, 'provider_error', 'The payment provider has not answered yet; try again.', { retryable: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'card_declined') return { ok: false, code: (err.details as { reason?: string } | undefined)?.reason ?? 'card_declined', reason: err.message };
        throw err;
      }
    },
  };
}
