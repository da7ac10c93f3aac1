// The contact's activity timeline: one newest-first list over two tables, each read by keyset on its own
// (workspace_id, contact_id, at, id) index, and merged here.
// - `activities`: everything that happened *with* the contact — messages, submissions, share-link views, host
//   events (visits, calls, purchases…), and the rows later features write (appointments): a feature adds its kind
//   to ACTIVITY_GROUPS and writes one row per event, and paging stays one index range.
// - `audit_events`: what staff and the system did *to* the record — field changes, merges, documents added, notes
//   written, tasks created and completed —
//   already written once per change; copying them into `activities` would keep the same fact twice.
// Each branch reads at most `limit + 1` rows past the cursor, so a page costs the same at any depth.
import type { Db } from '../db/connection.js';
import { readableAudit, nameContacts } from './audit-legacy.js';
import type { AuditContext, AuditEventJson, Changes } from './audit.js';
import type { Attribution } from './contacts.js';

/** The timeline's filter groups, each the activity kinds it covers. */
export const ACTIVITY_GROUPS = {
  message: ['message'],
  visit: ['visit'],
  form: ['form_submission', 'survey_submission'],
  call: ['call'],
  purchase: ['purchase', 'payment'],
  share_view: ['document_view'],
  appointment: ['appointment_booked', 'appointment_updated', 'appointment_cancelled'],
  custom: ['custom'],
} as const satisfies Record<string, readonly string[]>;

/** Groups read from the audit log, each the audit actions it covers. */
export const AUDIT_GROUPS = {
  document: ['document.uploaded'],
  field_change: ['contact.created', 'contact.updated', 'contact.deleted', 'contact.restored'],
  merge: ['contact.merged', 'contact.merged_into', 'contact.unmerged'],
  // Notes and tasks keep their history in the audit log (their own readable sentences there).
  note: ['note.created'],
  task: ['task.created', 'task.completed', 'task.reopened'],
  // Appointments booked here (hosts may also record their own as `appointment_*` activities).
  appointment: ['appointment.booked', 'appointment.updated', 'appointment.cancelled'],
  // Opportunities the contact is linked to: created, moved to another stage, won / lost / abandoned / reopened, linked
  // and unlinked (as association links made and removed are), deleted.
  opportunity: ['opportunity.created', 'opportunity.stage_changed', 'opportunity.status_changed', 'opportunity.linked', 'opportunity.unlinked', 'opportunity.deleted'],
  // Links made and removed in the Associations tab.
  association: ['association.created', 'association.deleted'],
  // Workflow enrolments (asked for here or recorded by the host) and portal access changes.
  workflow: ['workflow.enrolled', 'workflow.completed', 'workflow.stopped'],
  portal: ['portal.offer_granted', 'portal.offer_revoked', 'portal.group_joined', 'portal.group_left'],
  // Charges, refunds and cards on file (the Payments tab), with the amount or card at the time.
  payment: ['payment.charge_succeeded', 'payment.charge_failed', 'payment.refunded', 'payment.card_added', 'payment.card_removed'],
  invoice: ['invoice.created', 'invoice.sent', 'invoice.paid', 'invoice.voided'],
  subscription: ['subscription.created', 'subscription.charged', 'subscription.payment_failed', 'subscription.cancelled'],
} as const satisfies Record<string, readonly string[]>;

export type ActivityGroup = keyof typeof ACTIVITY_GROUPS | keyof typeof AUDIT_GROUPS;
export const ACTIVITY_GROUP_NAMES = [...new Set([...Object.keys(ACTIVITY_GROUPS), ...Object.keys(AUDIT_GROUPS)])] as [ActivityGroup, ...ActivityGroup[]];

const groupOfKind = new Map<string, ActivityGroup>(Object.entries(ACTIVITY_GROUPS).flatMap(([g, kinds]) => kinds.map((k) => [k, g as ActivityGroup])));
const groupOfAction = new Map<string, ActivityGroup>(Object.entries(AUDIT_GROUPS).flatMap(([g, actions]) => actions.map((a) => [a, g as ActivityGroup])));

export interface ActivityJson {
  id: string;
  /** The stored kind (`message`, `visit`, `purchase`, `document_view`, … or the audit action for record changes). */
  kind: string;
  /** The filter group the kind belongs to. */
  group: ActivityGroup;
  channel: string | null;
  direction: 'inbound' | 'outbound' | null;
  title: string;
  details: string | null;
  url: string | null;
  at: number;
  /** Purchases and payments. */
  amount: { value: number; currency: string } | null;
  /** The touch this event made, when it made one. */
  attribution: Attribution | null;
  /** Share-link views: how long, which pages, whether the file was downloaded (as far as the viewer reported). */
  view: { linkId: string | null; documentId: string | null; durationMs: number; pages: number[]; downloaded: boolean } | null;
  /** Documents that came with a message or submission. */
  documents: { id: string; name: string }[];
  /** Record changes (field changes, merges, documents added): the audit event, as GET /contacts/:id/audit gives it. */
  audit: AuditEventJson | null;
  /** What else the event carries (the form name, a call's duration, the host's id and fields…). */
  data: Record<string, unknown>;
}

export type ActivityCursor = [number, string];
export const isActivityCursor = (v: unknown): v is ActivityCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

type Keyset = { at: number; id: string };

/** `(at, id) < cursor`, written as a range on `at` first so the index range starts at the cursor. */
function before<Q extends { where: (...args: any[]) => Q }>(q: Q, alias: string, cursor: ActivityCursor | undefined): Q {
  if (!cursor) return q;
  const [at, id] = cursor;
  return q
    .where(`${alias}.at`, '<=', at)
    .where((eb: any) => eb.or([eb(`${alias}.at`, '<', at), eb(`${alias}.id`, '<', id)]));
}

const parse = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** One page of the timeline, newest first; `groups` narrows it (all when absent). */
export async function listActivity(db: Db, workspaceId: string, contactId: string, opts: { limit: number; cursor?: ActivityCursor; groups?: ActivityGroup[] }) {
  const { limit, cursor } = opts;
  const groups = opts.groups?.length ? new Set(opts.groups) : null;
  const kinds = groups ? [...groups].flatMap((g) => (g in ACTIVITY_GROUPS ? [...ACTIVITY_GROUPS[g as keyof typeof ACTIVITY_GROUPS]] : [])) : null;
  const actions = (groups ? [...groups] : Object.keys(AUDIT_GROUPS)).flatMap((g) => (g in AUDIT_GROUPS ? [...AUDIT_GROUPS[g as keyof typeof AUDIT_GROUPS]] : []));

  const activityRows =
    kinds && kinds.length === 0
      ? []
      : await (() => {
          let q = db
            .selectFrom('activities as a')
            .leftJoin('members as m', 'm.id', 'a.actor_id')
            .select(['a.id', 'a.kind', 'a.channel', 'a.direction', 'a.summary', 'a.data', 'a.attribution', 'a.at', 'a.actor_id', 'm.name as actor_name'])
            .where('a.workspace_id', '=', workspaceId)
            .where('a.contact_id', '=', contactId);
          if (kinds) q = q.where('a.kind', 'in', kinds);
          return before(q, 'a', cursor).orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute();
        })();

  const auditRows = actions.length
    ? await before(
        db
          .selectFrom('audit_events as e')
          .leftJoin('members as m', 'm.id', 'e.actor_id')
          .select(['e.id', 'e.action', 'e.actor_id', 'e.actor_type', 'e.changes', 'e.context', 'e.at', 'm.name as actor_name'])
          .where('e.workspace_id', '=', workspaceId)
          .where('e.contact_id', '=', contactId)
          .where('e.action', 'in', actions),
        'e',
        cursor,
      )
        .orderBy('e.at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(limit + 1)
        .execute()
    : [];

  type Row = { key: Keyset; build: () => ActivityJson };
  const rows: Row[] = [
    ...activityRows.map((r) => ({ key: { at: r.at, id: r.id }, build: () => fromActivity(r) })),
    ...auditRows.map((r) => ({ key: { at: r.at, id: r.id }, build: () => fromAudit(r) })),
  ].sort((a, b) => b.key.at - a.key.at || (a.key.id < b.key.id ? 1 : a.key.id > b.key.id ? -1 : 0));
  const page = rows.slice(0, limit);
  const items = page.map((r) => r.build());
  await enrich(db, workspaceId, items);
  const last = page[page.length - 1];
  const more = rows.length > limit;
  return { items, next: more && last ? ([last.key.at, last.key.id] as ActivityCursor) : null };
}

type ActivityRow = {
  id: string;
  kind: string;
  channel: string | null;
  direction: 'inbound' | 'outbound' | null;
  summary: string;
  data: string | null;
  attribution: string | null;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
};

export function fromActivity(r: ActivityRow): ActivityJson {
  const data = parse<Record<string, unknown>>(r.data, {});
  // Carried elsewhere in the answer: the documents (read fresh: renamed or deleted since), the view's figures.
  const { details, url, amount, currency, documentIds: _docs, skipped: _skipped, viewId, linkId, documentId, ...rest } = data as Record<string, unknown>;
  const text = typeof data.text === 'string' ? data.text : null;
  return {
    id: r.id,
    kind: r.kind,
    group: groupOfKind.get(r.kind) ?? 'custom',
    channel: r.channel,
    direction: r.direction,
    title: r.summary,
    details: typeof details === 'string' ? details : r.kind === 'message' && text && text.trim() !== r.summary ? text.slice(0, 2000) : null,
    url: typeof url === 'string' ? url : null,
    at: r.at,
    amount: typeof amount === 'number' && typeof currency === 'string' ? { value: amount, currency } : null,
    attribution: parse<Attribution | null>(r.attribution, null),
    view: r.kind === 'document_view' ? { linkId: (linkId as string) ?? null, documentId: (documentId as string) ?? null, durationMs: 0, pages: [], downloaded: false, ...(viewId ? { viewId } : {}) } : null,
    documents: [],
    audit: null,
    data: { ...rest, ...(r.actor_id ? { actor: { id: r.actor_id, name: r.actor_name } } : {}) },
  };
}

type AuditRow = { id: string; action: string; actor_id: string | null; actor_type: string; changes: string; context: string; at: number; actor_name: string | null };

function fromAudit(r: AuditRow): ActivityJson {
  const audit: AuditEventJson = {
    id: r.id,
    action: r.action,
    actor: { id: r.actor_id, type: r.actor_type, name: r.actor_name ?? null },
    ...readableAudit(r.action, parse<Changes>(r.changes, {}), parse<AuditContext>(r.context, {})),
    at: r.at,
  };
  return {
    id: r.id,
    kind: r.action,
    group: groupOfAction.get(r.action) ?? 'field_change',
    channel: null,
    direction: null,
    title: r.action === 'document.uploaded' ? (audit.context.document?.name ?? '') : r.action,
    details: null,
    url: null,
    at: r.at,
    amount: null,
    attribution: null,
    view: null,
    documents: r.action === 'document.uploaded' && audit.context.document ? [{ id: audit.context.document.id, name: audit.context.document.name ?? '' }] : [],
    audit,
    data: {},
  };
}

/** Fills in what lives in other tables: a view's duration and pages, a message's documents, merged contacts' names. */
async function enrich(db: Db, workspaceId: string, items: ActivityJson[]) {
  const views = items.filter((i) => i.view && (i.view as { viewId?: string }).viewId);
  type Pending = NonNullable<ActivityJson['view']> & { viewId?: string };
  if (views.length) {
    const rows = await db
      .selectFrom('link_views')
      .select(['id', 'duration_ms', 'pages_seen', 'downloaded'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', views.map((i) => (i.view as Pending).viewId!))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const item of views) {
      const v = item.view as Pending;
      const row = byId.get(v.viewId!);
      delete v.viewId;
      if (row) Object.assign(v, { durationMs: row.duration_ms, pages: parse<number[]>(row.pages_seen, []), downloaded: row.downloaded === 1 });
    }
  }
  const withDocs = items.filter((i) => i.group === 'message' || i.group === 'form');
  if (withDocs.length) {
    const rows = await db
      .selectFrom('documents')
      .select(['id', 'name', 'message_id'])
      .where('workspace_id', '=', workspaceId)
      .where('message_id', 'in', withDocs.map((i) => i.id))
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .execute();
    for (const item of withDocs) item.documents = rows.filter((r) => r.message_id === item.id).map((r) => ({ id: r.id, name: r.name }));
  }
  const audits = items.flatMap((i) => (i.audit ? [i.audit] : []));
  if (audits.length) await nameContacts(db, workspaceId, audits);
}
