// Billing's entries in the contact's payments ledger (payments/ledger.ts): one per invoice and subscription event,
// keyed by kind and record so a retried write adds none. Money moved by a card shows once, as the payments core's
// charge entry; these entries carry an amount only for money received outside Dossier (an invoice marked paid).
import type { Db } from '../../db/connection.js';
import { writeLedger } from '../../payments/ledger.js';

export function billingLedger(trx: Db, e: { workspaceId: string; contactId: string; kind: string; refType: 'invoice' | 'subscription'; refId: string; key?: string; amount?: number; currency: string; description: string; chargeId?: string | null; at: number }) {
  return writeLedger(trx, {
    workspaceId: e.workspaceId,
    contactId: e.contactId,
    entryKey: `${e.refType}:${e.refId}:${e.key ?? e.kind.split('.')[1]}`,
    kind: e.kind,
    amount: e.amount ?? 0,
    currency: e.currency.toLowerCase(),
    description: e.description,
    chargeId: e.chargeId ?? null,
    refType: e.refType,
    refId: e.refId,
    occurredAt: e.at,
    now: e.at,
  });
}
