// Audit rows written before `context` existed kept it among the changes (`bulk`, `mergedIds`, `view`, …) and
// custom fields / DND as one whole object: read them into today's shape, so old history stays readable.
import type { Db } from '../db/connection.js';
import { diff, type Changes } from './audit-diff.js';
import type { AuditContext, AuditEventJson, AuditRef } from './audit.js';

type Link = { id: string; name?: string; documentId?: string };
const record = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** `Viewed "Offer.pdf" via "Client link"`: the activity summary old share_link.viewed rows kept. */
const viewSummary = /^Viewed "(.*)" via "(.*)"$/;

export function readableAudit(action: string, changes: Changes, context: AuditContext): { changes: Changes; context: AuditContext } {
  const out: Changes = {};
  const ctx: AuditContext = { ...context };
  for (const [key, change] of Object.entries(changes)) {
    const { before, after } = change;
    if (key === 'bulk') ctx.bulkJobId ??= String(after);
    else if (key === 'mergeId') ctx.mergeId ??= String(after);
    else if (key === 'mergedIds' && Array.isArray(after)) ctx.merged ??= after.map((id) => ({ id: String(id) }));
    else if (key === 'mergedIntoId' && action === 'contact.merged_into') ctx.survivor ??= { id: String(after) };
    else if (key === 'view' && record(after)) {
      const v = after as { summary?: string; linkId: string; documentId: string; channel?: string; identifier?: string; verified?: boolean };
      const [, documentName, linkName] = viewSummary.exec(v.summary ?? '') ?? [];
      ctx.link ??= { id: v.linkId, ...(linkName !== undefined && { name: linkName }) };
      ctx.document ??= { id: v.documentId, ...(documentName !== undefined && { name: documentName }) };
      Object.assign(ctx, { channel: v.channel, identifier: v.identifier, verified: v.verified }, context);
    } else if (key === 'shareLink' && record(after ?? before)) {
      const link = (after ?? before) as Link;
      ctx.link ??= { id: link.id, name: link.name };
      if (link.documentId) ctx.document ??= { id: link.documentId };
      if (record(before) && record(after)) Object.assign(out, diff(before as Record<string, unknown>, after as Record<string, unknown>, ['id', 'documentId']));
    } else if (key === 'document' && action.startsWith('document.')) {
      const doc = after ?? before;
      const d = record(doc) as { id: string; name?: string; section?: string } | null;
      ctx.document ??= d ? { id: d.id, name: d.name, section: d.section } : { id: String(doc) };
    } else if ((key === 'customFields' || key === 'dnd') && (record(before) || record(after))) {
      Object.assign(out, diff({ [key]: before }, { [key]: after }));
    } else out[key] = change;
  }
  return { changes: out, context: ctx };
}

/** Fills in the names of merged contacts that old rows recorded by id only (null once a contact is purged). */
export async function nameContacts(db: Db, workspaceId: string, items: AuditEventJson[]): Promise<void> {
  const unnamed: AuditRef[] = items.flatMap((e) => [...(e.context.merged ?? []), ...(e.context.survivor ? [e.context.survivor] : [])]).filter((r) => r.name === undefined);
  if (!unnamed.length) return;
  const rows = await db.selectFrom('contacts').select(['id', 'display_name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(unnamed.map((r) => r.id))]).execute();
  const names = new Map(rows.map((r) => [r.id, r.display_name]));
  for (const ref of unnamed) ref.name = names.get(ref.id) ?? null;
}
