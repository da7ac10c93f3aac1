// The contact's saved cards (from the payments core), for paying an invoice or a subscription by card.
import type { DossierClient } from '../../../core/src/client.js';

export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
  isDefault: boolean;
}

export async function loadCards(_client: DossierClient, _contactId: string): Promise<SavedCard[]> {
  return [];
}
