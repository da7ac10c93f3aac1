// What billing needs from the payments core: check that a saved card is the contact's, and charge it with an
// idempotency key (the same key never charges twice), the charge landing in the payments ledger.
export interface ChargeRequest {
  workspaceId: string;
  contactId: string;
  paymentMethodId: string;
  amount: number;
  currency: string;
  description: string;
  idempotencyKey: string;
  /** What the ledger entry refers to. */
  ref: { invoiceId?: string; subscriptionId?: string };
}

export type ChargeResult = { ok: true; chargeId: string } | { ok: false; reason: string; code: string };

export interface CardCharger {
  /** Throws a 422 on `field` unless the card is a saved card of the contact. */
  assertCard(workspaceId: string, contactId: string, paymentMethodId: string, field: string): Promise<void>;
  charge(req: ChargeRequest): Promise<ChargeResult>;
}
