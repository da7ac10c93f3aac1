// What each webhook event carries, built from the audit row written with the change (or, for messages, from the
// message itself). Built inside the change's transaction, only when some endpoint of the workspace wants the type.
import type { Db } from '../db/connection.js';
import type { Actor, AuditContext, Changes } from './audit.js';
import { documentJson } from './documents.js';
import { Notes } from './notes.js';
import { Tasks } from './tasks.js';
import { Appointments } from './appointments/appointments.js';
import { Workflows } from './workflows/workflows.js';
import { Payments } from '../payments/payments.js';
import { BILLING_WEBHOOK_TYPES, billingEvent, isBillingAction } from './billing/webhooks.js';

export const WEBHOOK_EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.restored',
  'contact.merged',
  'contact.unmerged',
  'contact.interaction',
  'document.created',
  'document.deleted',
  'document.restored',
  'share_link.viewed',
  'share_link.view_updated',
  'share_link.viewer_verified',
  'note.created',
  'note.updated',
  'note.deleted',
  'task.created',
  'task.updated',
  'task.completed',
  'task.deleted',
  'appointment.booked',
  'appointment.updated',
  'appointment.cancelled',
  'opportunity.created',
  'opportunity.updated',
  'opportunity.stage_changed',
  'opportunity.status_changed',
  'opportunity.deleted',
  'association.created',
  'association.deleted',
  'workflow.enroll_requested',
  'workflow.remove_requested',
  'portal.offer_granted',
  'portal.offer_revoked',
  'portal.group_joined',
  'portal.group_left',
  'payment.charge_succeeded',
  'payment.charge_failed',
  'payment.refunded',
  'payment.card_added',
  'payment.card_removed',
  ...BILLING_WEBHOOK_TYPES,
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One event to deliver: `contactId` orders deliveries per contact (null: no order to keep). */
export interface WebhookEvent {
  type: WebhookEventType;
  contactId: string | null;
  at: number;
  data: Record<string, unknown>;
}

/** The audit row as writeAudit receives it. */
export interface AuditInput {
  workspaceId: string;
  contactId: string | null;
  actor: Actor;
  action: string;
  changes: Changes;
  context?: AuditContext;
  at: number;
}

/** The webhook types an audit row announces (cheap: no query), so most writes cost nothing when no endpoint wants them. */
export function auditEventTypes(a: AuditInput): WebhookEventType[] {
  if (isBillingAction(a.action)) return [a.action];
  switch (a.action) {
    case 'contact.created':
    case 'contact.updated':
    case 'contact.deleted':
    case 'contact.restored':
    case 'contact.merged':
    case 'contact.unmerged':
    case 'document.deleted':
    case 'document.restored':
      return [a.action];
    case 'document.uploaded':
      return ['document.created'];
    case 'note.created':
    case 'note.deleted':
      return [a.action];
    case 'task.created':
    case 'task.updated':
    case 'task.completed':
    case 'task.deleted':
      return [a.action];
    case 'task.reopened':
      return ['task.updated'];
    case 'appointment.booked':
    case 'appointment.updated':
    case 'appointment.cancelled':
      return [a.action];
    case 'association.created':
    case 'association.deleted':
      // A contact↔contact link is audited on both contacts; it is announced once.
      return a.context?.association?.mirror ? [] : [a.action];
    // Staff asked from the record: the host starts or stops the workflow (its own records send none back).
    case 'workflow.enrolled':
      return a.context?.workflow?.requested ? ['workflow.enroll_requested'] : [];
    case 'workflow.stopped':
      return a.context?.workflow?.requested ? ['workflow.remove_requested'] : [];
    case 'portal.offer_granted':
    case 'portal.offer_revoked':
    case 'portal.group_joined':
    case 'portal.group_left':
    case 'payment.charge_succeeded':
    case 'payment.charge_failed':
    case 'payment.refunded':
    case 'payment.card_added':
    case 'payment.card_removed':
      return [a.action];
    case 'note.edited':
    case 'note.pinned':
    case 'note.unpinned':
      return ['note.updated'];
    case 'share_link.viewed':
      // A view is an interaction of the viewer's contact; a view after a checked code also verified the viewer.
      return a.contactId ? ['share_link.viewed', 'contact.interaction', ...(a.context?.verified ? (['share_link.viewer_verified'] as const) : [])] : ['share_link.viewed'];
    default:
      return [];
  }
}

const actorJson = (a: Actor) => ({ type: a.type, id: a.id });
const afters = (changes: Changes) => Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.after]));

/** The event of one type for an audit row; `null` when the row lacks what it needs. */
export async function auditEvent(trx: Db, a: AuditInput, type: WebhookEventType): Promise<WebhookEvent | null> {
  const base = { type, contactId: a.contactId, at: a.at };
  const ctx = a.context ?? {};
  const actor = actorJson(a.actor);
  if (isBillingAction(type)) return billingEvent(trx, a, base, actor);
  switch (type) {
    case 'contact.created':
      return { ...base, data: { contactId: a.contactId, actor, contact: afters(a.changes) } };
    case 'contact.updated':
      return { ...base, data: { contactId: a.contactId, actor, changedFields: Object.keys(a.changes), changes: a.changes, ...(ctx.bulkJobId && { bulkJobId: ctx.bulkJobId }) } };
    case 'contact.deleted':
    case 'contact.restored':
      return { ...base, data: { contactId: a.contactId, actor, ...(ctx.bulkJobId && { bulkJobId: ctx.bulkJobId }) } };
    case 'contact.merged':
      return { ...base, data: { contactId: a.contactId, actor, mergeId: ctx.mergeId, merged: ctx.merged ?? [], changes: a.changes } };
    case 'contact.unmerged':
      return { ...base, data: { contactId: a.contactId, actor, mergeId: ctx.mergeId, survivor: ctx.survivor ?? null, split: ctx.merged ?? [] } };
    case 'document.created': {
      const row = ctx.document && (await trx.selectFrom('documents').selectAll().where('id', '=', ctx.document.id).executeTakeFirst());
      if (!row) return null;
      const document = documentJson(row);
      return { ...base, data: { contactId: a.contactId, actor, origin: document.origin, received: document.origin !== 'upload', document } };
    }
    case 'document.deleted':
    case 'document.restored':
      return { ...base, data: { contactId: a.contactId, actor, document: ctx.document ?? null } };
    case 'note.created':
    case 'note.updated': {
      const note = ctx.note && (await Notes.json(trx, ctx.note.id));
      if (!note) return null;
      return { ...base, data: { contactId: a.contactId, actor, ...(type === 'note.updated' && { change: a.action.slice('note.'.length), changedFields: Object.keys(a.changes) }), note } };
    }
    case 'task.created':
    case 'task.updated':
    case 'task.completed': {
      const task = ctx.task && (await Tasks.json(trx, ctx.task.id));
      if (!task) return null;
      return { ...base, data: { contactId: a.contactId, actor, ...(type === 'task.updated' && { change: a.action.slice('task.'.length), changes: a.changes }), task } };
    }
    case 'appointment.booked':
    case 'appointment.updated':
    case 'appointment.cancelled': {
      const appointment = ctx.appointment && (await Appointments.json(trx, ctx.appointment.id));
      if (!appointment) return null;
      return { ...base, data: { contactId: a.contactId, actor, ...(type === 'appointment.updated' && { changes: a.changes }), appointment } };
    }
    case 'association.created':
    case 'association.deleted': {
      const l = ctx.association;
      if (!l) return null;
      return { ...base, data: { contactId: a.contactId, actor, association: { id: l.id, typeId: l.typeId, label: l.label, target: { kind: l.kind, id: l.targetId, name: l.name } } } };
    }
    case 'workflow.enroll_requested':
    case 'workflow.remove_requested': {
      const enrolment = ctx.workflow?.enrolmentId && (await Workflows.json(trx, ctx.workflow.enrolmentId));
      if (!enrolment) return null;
      return { ...base, data: { contactId: a.contactId, actor, workflow: enrolment.workflow, enrolment } };
    }
    case 'portal.offer_granted':
    case 'portal.offer_revoked':
    case 'portal.group_joined':
    case 'portal.group_left': {
      const p = ctx.portal;
      if (!p) return null;
      const item = { id: p.id, hostId: p.hostId ?? null, name: p.name ?? null };
      return { ...base, data: { contactId: a.contactId, actor, ...(p.kind === 'group' ? { group: item } : { offer: item }) } };
    }
    case 'payment.charge_succeeded':
    case 'payment.charge_failed': {
      const charge = ctx.payment && (await Payments.chargeJson(trx, ctx.payment.id));
      if (!charge) return null;
      return { ...base, data: { contactId: a.contactId, actor, charge } };
    }
    case 'payment.refunded': {
      const charge = ctx.payment?.chargeId ? await Payments.chargeJson(trx, ctx.payment.chargeId) : null;
      return { ...base, data: { contactId: a.contactId, actor, refund: { id: ctx.payment?.id ?? null, amount: ctx.payment?.amount ?? null, currency: ctx.payment?.currency ?? null, reason: ctx.payment?.description ?? '' }, charge } };
    }
    case 'payment.card_added':
    case 'payment.card_removed':
      return { ...base, data: { contactId: a.contactId, actor, card: { id: ctx.payment?.id ?? null, ...ctx.payment?.card } } };
    case 'task.deleted':
      return { ...base, data: { contactId: a.contactId, actor, task: { id: ctx.task?.id ?? null, title: ctx.task?.name ?? null } } };
    case 'note.deleted':
      return { ...base, data: { contactId: a.contactId, actor, note: { id: ctx.note?.id ?? null, body: a.changes.body?.before ?? null } } };
    case 'share_link.viewed':
      // Pages and duration start empty: the viewer page reports them during the view (share_link.view_updated).
      return { ...base, data: { contactId: a.contactId, viewId: ctx.viewId ?? null, link: ctx.link ?? null, document: ctx.document ?? null, viewer: viewer(ctx), pages: [], durationMs: 0 } };
    case 'share_link.view_updated':
      return null;
    case 'opportunity.created':
    case 'opportunity.updated':
    case 'opportunity.stage_changed':
    case 'opportunity.status_changed':
    case 'opportunity.deleted':
      return null; // sent once per change by the opportunity domain (its audit rows are one per linked contact) // built by the share gate from the view's report (viewUpdatedEvent)
    case 'share_link.viewer_verified':
      return { ...base, data: { contactId: a.contactId, link: ctx.link ?? null, viewer: viewer(ctx) } };
    case 'contact.interaction':
      if (!a.contactId) return null;
      return interactionEvent(trx, a.workspaceId, a.contactId, a.at, {
        kind: 'share_link_view',
        channel: ctx.channel ?? null,
        direction: 'inbound',
        link: ctx.link ?? null,
        document: ctx.document ?? null,
      });
  }
}

const viewer = (ctx: AuditContext) => (ctx.identifier ? { channel: ctx.channel ?? null, identifier: ctx.identifier, verified: ctx.verified === true } : null);

export interface NotifyMember {
  memberId: string;
  externalId: string;
  name: string;
  email: string;
}

/** The contact's owner and followers, with the ids the host knows them by: who the host should notify. */
export async function whoToNotify(trx: Db, workspaceId: string, contactId: string) {
  const contact = await trx.selectFrom('contacts').select(['display_name', 'owner_id']).where('id', '=', contactId).where('workspace_id', '=', workspaceId).executeTakeFirst();
  const followers = await trx
    .selectFrom('contact_followers as f')
    .innerJoin('members as m', 'm.id', 'f.member_id')
    .select(['m.id', 'm.external_id', 'm.name', 'm.email'])
    .where('f.contact_id', '=', contactId)
    .where('f.workspace_id', '=', workspaceId)
    .orderBy('m.id')
    .execute();
  const owner = contact?.owner_id
    ? await trx.selectFrom('members').select(['id', 'external_id', 'name', 'email']).where('id', '=', contact.owner_id).executeTakeFirst()
    : undefined;
  const member = (m: { id: string; external_id: string; name: string; email: string }): NotifyMember => ({ memberId: m.id, externalId: m.external_id, name: m.name, email: m.email });
  return { contactName: contact?.display_name ?? null, owner: owner ? member(owner) : null, followers: followers.map(member) };
}

/** `contact.interaction`: something happened with the contact; carries whom the host should tell. `at`: when it was recorded. */
export async function interactionEvent(trx: Db, workspaceId: string, contactId: string, at: number, detail: Record<string, unknown>): Promise<WebhookEvent> {
  const { contactName, owner, followers } = await whoToNotify(trx, workspaceId, contactId);
  return { type: 'contact.interaction', contactId, at, data: { contactId, contactName, occurredAt: at, ...detail, owner, followers } };
}

export interface ViewReport {
  viewId: string;
  contactId: string;
  startedAt: number;
  pages: number[];
  durationMs: number;
  downloaded: boolean;
  link: { id: string; name: string; slug: string };
  document: { id: string; name: string };
  viewer: { channel: string; identifier: string } | null;
}

/** `share_link.view_updated`: what a view has seen so far, sent when the viewer page's report changes it. */
export function viewUpdatedEvent(r: ViewReport, at: number): WebhookEvent {
  const { contactId, ...rest } = r;
  return { type: 'share_link.view_updated', contactId, at, data: { contactId, ...rest } };
}
