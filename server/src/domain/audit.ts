import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { AuditEventsTable } from '../db/schema.js';
import { newId } from '../ids.js';
import type { Changes } from './audit-diff.js';
import type { AssociationRef } from './associations/associations.js';
import { nameContacts, readableAudit } from './audit-legacy.js';
import { enqueueAuditWebhooks } from './webhook-outbox.js';

export { diff, type Changes } from './audit-diff.js';

export interface Actor {
  id: string | null;
  type: AuditEventsTable['actor_type'];
}

/** A contact, document or share link an event concerns, with its name at the time (for a readable log). */
export interface AuditRef {
  id: string;
  name?: string | null;
}

/** What an event concerns beyond the fields it changed. */
export interface AuditContext {
  /** The bulk job that made the change. */
  bulkJobId?: string;
  mergeId?: string;
  /** contact.unmerged: the merge that still holds the contacts not split off this time. */
  remainingMergeId?: string;
  /** contact.merged / contact.unmerged: the contacts merged into the survivor. */
  merged?: AuditRef[];
  /** contact.merged_into / contact.unmerged: the contact that survived the merge. */
  survivor?: AuditRef;
  /** Document events also carry its size and kind, and the file field it belongs to. */
  document?: AuditRef & { section?: string; size?: number; kind?: string; fieldKey?: string };
  link?: AuditRef & { slug?: string };
  /** note.*: the note, named by the start of its text. */
  note?: AuditRef;
  /** task.*: the task, named by its title. */
  task?: AuditRef;
  /** appointment.*: the appointment, named by its title, with its start time then. */
  appointment?: AuditRef & { startAt?: number };
  /** opportunity.*: the opportunity, named by its name then. */
  opportunity?: AuditRef;
  /** association.*: the link, named by its other side, with the label from the audited contact's side. */
  association?: AssociationRef;
  /** company.*: the company. */
  company?: AuditRef;
  /** object_record.*: the custom object record and its type. */
  record?: AuditRef & { typeId?: string };
  /** workflow.*: the workflow (named), the enrolment, its step then, and whether staff asked for it from the record. */
  workflow?: AuditRef & { hostId?: string; enrolmentId?: string; step?: string | null; requested?: boolean };
  /** portal.*: the course offer or community group, named, with the host's id. */
  portal?: AuditRef & { kind?: 'offer' | 'group'; hostId?: string };
  /** payment.*: the charge, refund or card, with its amount (minor units) or card at the time. */
  payment?: { id: string; chargeId?: string; amount?: number; currency?: string; description?: string; card?: { brand: string; last4: string }; failure?: string };
  /** invoice.*: the invoice, named by its number; subscription.*: the subscription, named by its product. */
  invoice?: AuditRef;
  subscription?: AuditRef;
  /** share_link.viewed: how the viewer identified. */
  channel?: string;
  identifier?: string;
  verified?: boolean;
  /** share_link.viewed: the view (link_views row) whose pages and time later reports add to. */
  viewId?: string;
}

export async function writeAudit(
  db: Db,
  event: { workspaceId: string; contactId: string | null; actor: Actor; action: string; changes: Changes; context?: AuditContext; at: number },
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
      context: JSON.stringify(event.context ?? {}),
      at: event.at,
    })
    .execute();
  // Webhooks announcing the change are written with it (same transaction), so none is lost to a crash.
  await enqueueAuditWebhooks(db, [event]);
}

export interface AuditEventJson {
  id: string;
  action: string;
  actor: { id: string | null; type: string; name: string | null };
  changes: Changes;
  context: AuditContext;
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
    .select(['e.id', 'e.action', 'e.actor_id', 'e.actor_type', 'e.changes', 'e.context', 'e.at', 'm.name as actor_name', seq.as('seq')])
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
    ...readableAudit(r.action, JSON.parse(r.changes) as Changes, JSON.parse(r.context) as AuditContext),
    at: r.at,
  }));
  await nameContacts(db, workspaceId, items);
  const last = rows[limit - 1];
  return { items, next: rows.length > limit && last ? { at: last.at, seq: last.seq } : null };
}
