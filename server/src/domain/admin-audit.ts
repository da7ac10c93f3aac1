import type { Db } from '../db/connection.js';
import type { AdminAuditTable } from '../db/schema.js';
import { newId } from '../ids.js';

export interface AdminAuditJson {
  id: string;
  keyId: string;
  action: string;
  targetType: AdminAuditTable['target_type'];
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

/** Notes one admin call. `details` says what changed and must never hold a secret. */
export async function recordAdmin(
  db: Pick<Db, 'insertInto'>,
  entry: { keyId: string; action: string; targetType: AdminAuditTable['target_type']; targetId: string | null; details?: Record<string, unknown> },
  now: number,
) {
  await db
    .insertInto('admin_audit')
    .values({ id: newId('aa_', now), key_id: entry.keyId, action: entry.action, target_type: entry.targetType, target_id: entry.targetId, details: JSON.stringify(entry.details ?? {}), created_at: now })
    .execute();
}

/** Newest first, keyset-paged by id (ids sort by time), optionally for one target. */
export async function listAdminAudit(db: Db, opts: { targetId?: string; before?: string; limit: number }) {
  let query = db.selectFrom('admin_audit').selectAll().orderBy('id', 'desc').limit(opts.limit + 1);
  if (opts.targetId) query = query.where('target_id', '=', opts.targetId);
  if (opts.before) query = query.where('id', '<', opts.before);
  const rows = await query.execute();
  const items: AdminAuditJson[] = rows.slice(0, opts.limit).map((r) => ({
    id: r.id,
    keyId: r.key_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
  return { items, nextCursor: rows.length > opts.limit ? items[items.length - 1]!.id : null };
}
