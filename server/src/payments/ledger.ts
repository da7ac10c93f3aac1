// The per-contact ledger of money events. Each entry has a deterministic key (kind + what it is about), so the
// synchronous answer of a charge and the provider's webhook for it write one entry between them, in either order,
// and a replayed webhook writes none. Invoices and subscriptions (billing) add their own kinds through writeLedger.
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { newId } from '../ids.js';

export interface LedgerInput {
  workspaceId: string;
  contactId: string;
  /** Unique per workspace: `charge:<id>:succeeded`, `refund:<id>:succeeded`, `invoice:<id>:paid`… */
  entryKey: string;
  /** charge.succeeded | charge.failed | refund.succeeded | refund.failed | invoice.* | subscription.* */
  kind: string;
  /** Signed minor units: money in positive, refunds negative, 0 for an event that moved none. */
  amount: number;
  currency: string;
  description?: string;
  chargeId?: string | null;
  refundId?: string | null;
  refType?: string | null;
  refId?: string | null;
  providerEventId?: string | null;
  occurredAt: number;
  now: number;
}

/** Writes the entry unless one with its key exists; true when it was written. */
export async function writeLedger(db: Db, e: LedgerInput): Promise<boolean> {
  const result = await db
    .insertInto('payment_ledger')
    .values({
      id: newId('le_', e.occurredAt),
      workspace_id: e.workspaceId,
      contact_id: e.contactId,
      entry_key: e.entryKey,
      kind: e.kind,
      amount: e.amount,
      currency: e.currency,
      description: e.description ?? '',
      charge_id: e.chargeId ?? null,
      refund_id: e.refundId ?? null,
      ref_type: e.refType ?? null,
      ref_id: e.refId ?? null,
      provider_event_id: e.providerEventId ?? null,
      occurred_at: e.occurredAt,
      seq: sql<number>`(SELECT COALESCE(MAX(l.seq), 0) + 1 FROM payment_ledger l WHERE l.workspace_id = ${e.workspaceId} AND l.contact_id = ${e.contactId})`,
      created_at: e.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'entry_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
