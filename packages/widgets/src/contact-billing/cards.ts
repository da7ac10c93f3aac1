// The contact's saved cards (the payments core's cards on file), for paying an invoice or a subscription by card.
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';

export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
  isDefault: boolean;
}

export async function loadCards(client: DossierClient, contactId: string): Promise<SavedCard[]> {
  const res = await unwrap(client.api.api.v1.contacts[':id'].payments.cards.$get({ param: { id: contactId } }));
  return res.items.map((c) => ({ id: c.id, brand: c.brand, last4: c.last4, isDefault: c.isDefault }));
}
