// Billing's card charges through the payments core (the `pay` branch: provider interface, saved cards, ledger).
import type { AppDeps } from '../../deps.js';
import { invalidField } from '../../http/errors.js';
import type { CardCharger } from './charger.js';

/** Until the payments core is merged in, no card can be named: every card payment is refused as an unknown card. */
export function billingCards(_deps: AppDeps): CardCharger {
  return {
    async assertCard(_ws, _contact, paymentMethodId, field) {
      throw invalidField(field, `No saved card ${paymentMethodId} for this contact.`);
    },
    async charge() {
      return { ok: false, code: 'unavailable', reason: 'Card payments are not available.' };
    },
  };
}
