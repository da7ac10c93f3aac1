import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { AuditEventsTable } from '../db/schema.js';
import { newId } from '../ids.js';

export interface Actor {
  id: string | null;
  type: AuditEventsTable['actor_type'];
}

export type Changes = Record<string, { before: unknown; after: unknown }>;

/** Field-by-field difference of two JSON-like objects (only keys whose values differ). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, ignore: string[] = []): Changes {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

export async function writeAudit(
  db: Db,
  event: { workspaceId: string; contactId: string | null; actor: Actor; action: string; changes: Changes; at: number },
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId('ev_'),
      workspace_id: event.workspaceId,
      contact_id: event.contactId,
      actor_id: event.actor.id,
      actor_type: event.actor.type,
      action: event.action,
      changes: JSON.stringify(event.changes),
      at: event.at,
    })
    .execute();
}

export interface AuditEventJson {
  id: string;
  action: string;
  actor: { id: string | null; type: string; name: string | null };
  changes: Changes;
  at: number;
}

/**
 * Newest first, keyset-paginated by (at, insertion order): that orders events written in the same millisecond
 * as they were written (random ids would not).
 */
export async function listAudit(db: Db, workspaceId: string, contactId: string, limit: number, cursor?: { at: number; seq: number }) {
  const seq = engineOf(db).text.insertOrder('e');
  let query = db
    .selectFrom('audit_events as e')
    .leftJoin('members as m', 'm.id', 'e.actor_id')
    .select(['e.id', 'e.action', 'e.actor_id', 'e.actor_type', 'e.changes', 'e.at', 'm.name as actor_name', seq.as('seq')])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.contact_id', '=', contactId);
  if (cursor) {
    query = query.where((eb) =>
      eb.or([eb('e.at', '<', cursor.at), eb.and([eb('e.at', '=', cursor.at), eb(seq, '<', cursor.seq)])]),
    );
  }
  const rows = await query.orderBy('e.at', 'desc').orderBy(seq, 'desc').limit(limit + 1).execute();
  const items: AuditEventJson[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    action: r.action,
    actor: { id: r.actor_id, type: r.actor_type, name: r.actor_name ?? null },
    changes: JSON.parse(r.changes) as Changes,
    at: r.at,
  }));
  const last = rows[limit - 1];
  return { items, next: rows.length > limit && last ? { at: last.at, seq: last.seq } : null };
}
