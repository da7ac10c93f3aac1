// One readable sentence per audit event, with only what changed: "Olivia Owner added the tag “vip” and
// reassigned the contact from Ada Agent to Max Manager." Every word comes from the message catalogue.
import { formatDate, formatDateTime } from '../../../core/src/format.js';
import { formatMoney } from '../contact-payments/money.js';
import { brandName } from '../contact-payments/brand.js';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import type { AuditEventJson, CustomFieldJson, MemberJson } from '../../../core/src/types.js';
import './audit-messages.js';
// The phone labels' (`record.label.*`) and channels' (`record.dnd.*`) names live with their tabs.
import './contact-tab.js';
import './dnd-tab.js';

type Change = { before: unknown; after: unknown };
/** An email or phone as recorded; phones carry `display` (how people read them) since the server sends it. */
type Entry = { value: string; display?: string; label: string | null; primary: boolean };
type Ref = { id: string; name?: string | null };

/** What a sentence needs beyond the event: whose log it is, and the names of members and custom fields. */
export interface AuditSubject {
  contactId: string;
  members: MemberJson[];
  fields: CustomFieldJson[];
}

const list = (items: string[]) => new Intl.ListFormat(getLocale(), { type: 'conjunction' }).format(items);
const quote = (value: unknown) => t('audit.quote', { value: String(value) });
const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
/** Fields derived from others (the display name follows the name parts, emails and phones). */
const DERIVED_FROM: Record<string, string[]> = { name: ['firstName', 'lastName', 'emails', 'phones'] };
/** Bookkeeping a merge also moves (dates, counters, links): not edits anyone made, so not part of the sentence. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt', 'mergedIntoId', 'lastInteractionAt', 'lastChannel', 'lastAccessedAt', 'accessCount']);
/** A value of a field this log has no words for yet: its text, or the values / names of a list of objects. */
// Phones as people read them (`display`, recorded since the server sends it), else the stored value.
const plain = (v: unknown): string =>
  Array.isArray(v)
    ? list(v.map(plain))
    : v && typeof v === 'object'
      ? String((v as { display?: unknown }).display ?? (v as { value?: unknown }).value ?? (v as { name?: unknown }).name ?? JSON.stringify(v))
      : String(v);

export function auditSentence(e: AuditEventJson, subject: AuditSubject): string {
  const sentence = describe(e, subject);
  return t(e.context.bulkJobId ? 'audit.end.bulk' : 'audit.end', { sentence });
}

function actorOf(e: AuditEventJson, subject: AuditSubject): string {
  if (e.action === 'share_link.viewed' && e.context.identifier) {
    return e.context.identifier;
  }
  if (e.actor.type !== 'member') return t(`audit.actor.${e.actor.type}`);
  return e.actor.name ?? subject.members.find((m) => m.id === e.actor.id)?.name ?? t('audit.actor.someone');
}

const contactName = (ref: Ref) => ref.name || t('audit.removedContact');

function describe(e: AuditEventJson, subject: AuditSubject): string {
  const actor = actorOf(e, subject);
  const { context: c } = e;
  const document = c.document?.name ? quote(c.document.name) : t('audit.aDocument');
  const link = c.link?.name ? quote(c.link.name) : t('audit.aLink');
  switch (e.action) {
    case 'contact.created':
    case 'contact.deleted':
    case 'contact.restored':
      return t(`audit.${e.action}`, { actor });
    case 'contact.updated': {
      const changes = clauses(e.changes, subject);
      return changes.length ? t('audit.contact.updated', { actor, changes: list(changes) }) : t('audit.contact.updated.none', { actor });
    }
    case 'contact.merged': {
      if (!c.merged?.length) return t('audit.contact.merged.unknown', { actor });
      const names = list(c.merged.map(contactName));
      const changes = clauses(e.changes, subject);
      return changes.length ? t('audit.contact.merged.changes', { actor, names, changes: list(changes) }) : t('audit.contact.merged', { actor, names });
    }
    case 'contact.merged_into':
      return c.survivor ? t('audit.contact.merged_into', { actor, name: contactName(c.survivor) }) : t('audit.contact.unmerged', { actor });
    case 'contact.unmerged':
      if (c.survivor && c.survivor.id === subject.contactId && c.merged?.length) return t('audit.contact.unmerged.survivor', { actor, names: list(c.merged.map(contactName)) });
      if (c.survivor && c.survivor.id !== subject.contactId) return t('audit.contact.unmerged.merged', { actor, name: contactName(c.survivor) });
      return t('audit.contact.unmerged', { actor });
    case 'document.uploaded':
      return t('audit.document.uploaded', { actor, document, section: section(c.document?.section) });
    case 'document.renamed':
      return t('audit.document.renamed', { actor, before: quote(e.changes.name?.before), after: quote(e.changes.name?.after) });
    case 'document.moved':
      return t('audit.document.moved', { actor, document, before: section(e.changes.section?.before), after: section(e.changes.section?.after) });
    case 'document.shared':
      return t(e.changes.shareOnPortal?.after ? 'audit.document.shared.on' : 'audit.document.shared.off', { actor, document });
    case 'document.deleted':
    case 'document.restored':
    case 'share_link.created':
    case 'share_link.disabled':
    case 'share_link.enabled':
    case 'share_link.deleted':
    case 'share_link.viewed':
      return t(`audit.${e.action}`, { actor, document, link });
    case 'note.created':
    case 'note.edited':
    case 'note.pinned':
    case 'note.unpinned':
    case 'note.deleted':
      return t(`audit.${e.action}`, { actor, note: quote(c.note?.name ?? '') });
    case 'task.created':
      return t('audit.task.created', { actor, task: quote(c.task?.name ?? ''), due: formatDateTime(e.changes.dueAt?.after as number) });
    case 'task.completed':
    case 'task.reopened':
    case 'task.deleted':
      return t(`audit.${e.action}`, { actor, task: quote(c.task?.name ?? '') });
    case 'task.updated': {
      const member = (id: unknown) => subject.members.find((m) => m.id === id)?.name ?? t('audit.actor.someone');
      const changes = Object.entries(e.changes).map(([field, { before, after }]) =>
        field === 'dueAt' ? t('audit.task.due', { before: formatDateTime(before as number), after: formatDateTime(after as number) })
        : field === 'assigneeId' ? t('audit.task.assignee', { before: member(before), after: member(after) })
        : scalar(t(`audit.task.field.${field}`), before, after, plain));
      return t('audit.task.updated', { actor, task: quote(c.task?.name ?? ''), changes: list(changes) });
    }
    case 'workflow.enrolled':
    case 'workflow.stopped':
    case 'workflow.completed':
    case 'workflow.step_changed':
      return t(`audit.${e.action}`, { actor, workflow: quote(c.workflow?.name ?? ''), step: quote(String(e.changes.step?.after ?? '')) });
    case 'portal.offer_granted':
    case 'portal.offer_revoked':
    case 'portal.group_joined':
    case 'portal.group_left':
      return t(`audit.${e.action}`, { actor, item: quote(c.portal?.name ?? '') });
    case 'association.created':
    case 'association.deleted':
      return t(`audit.${e.action}`, { actor, target: quote(c.association?.name ?? ''), label: c.association?.label ?? '' });
    case 'payment.charge_succeeded':
    case 'payment.charge_failed':
    case 'payment.refunded':
    case 'payment.card_added':
    case 'payment.card_removed':
    case 'payment.card_default': {
      const p = c.payment;
      const amount = p?.amount !== undefined && p.currency ? formatMoney(p.amount, p.currency) : '';
      const card = p?.card ? t('payments.card.summary', { brand: brandName(p.card.brand), last4: p.card.last4 }) : '';
      return t(`audit.${e.action}`, { actor, amount, card, reason: p?.failure ?? '' });
    }
    case 'invoice.created':
    case 'invoice.updated':
    case 'invoice.sent':
    case 'invoice.paid':
    case 'invoice.voided':
      return t(`audit.${e.action}`, { actor, number: c.invoice?.name ?? '' });
    case 'subscription.created':
    case 'subscription.charged':
    case 'subscription.payment_failed':
    case 'subscription.cancelled':
      return t(`audit.${e.action}`, { actor, name: quote(c.subscription?.name ?? '') });
    case 'appointment.booked':
    case 'appointment.cancelled':
      return t(`audit.${e.action}`, { actor, appointment: quote(c.appointment?.name ?? ''), when: formatDateTime(c.appointment?.startAt) });
    case 'appointment.updated': {
      const member = (id: unknown) => subject.members.find((m) => m.id === id)?.name ?? t('audit.actor.someone');
      // A move carries its new end along: the end is told only when it alone changed.
      const changes = Object.entries(e.changes).filter(([field]) => field !== 'endAt' || !e.changes.startAt).map(([field, { before, after }]) =>
        field === 'startAt' || field === 'endAt' ? t(`audit.appointment.${field}`, { before: formatDateTime(before as number), after: formatDateTime(after as number) })
        : field === 'memberId' ? t('audit.appointment.member', { before: member(before), after: member(after) })
        : scalar(t(`audit.appointment.field.${field}`), before, after, plain));
      return t('audit.appointment.updated', { actor, appointment: quote(c.appointment?.name ?? ''), changes: list(changes) });
    }
    case 'opportunity.created':
      return t('audit.opportunity.created', { actor, opportunity: quote(c.opportunity?.name ?? ''), stage: plain(e.changes.stage?.after) });
    case 'opportunity.stage_changed':
      return t('audit.opportunity.stage_changed', { actor, opportunity: quote(c.opportunity?.name ?? ''), before: plain(e.changes.stage?.before), after: plain(e.changes.stage?.after) });
    case 'opportunity.status_changed': {
      const status = String(e.changes.status?.after ?? '');
      const reason = e.changes.lostReason?.after;
      return t(`audit.opportunity.${['won', 'lost', 'abandoned'].includes(status) ? status : 'reopened'}`, { actor, opportunity: quote(c.opportunity?.name ?? '') }) + (reason ? ` (${plain(reason)})` : '');
    }
    case 'opportunity.updated':
    case 'opportunity.linked':
    case 'opportunity.unlinked':
    case 'opportunity.deleted':
      return t(`audit.${e.action}`, { actor, opportunity: quote(c.opportunity?.name ?? '') });
    case 'share_link.updated': {
      const changes = linkClauses(e.changes);
      return t('audit.share_link.updated', { actor, document, link, changes: list(changes.length ? changes : [t('audit.link.other')]) });
    }
    default:
      return t('audit.other', { actor, action: e.action.replace(/[._]/g, ' ') });
  }
}

const section = (value: unknown) => (typeof value === 'string' ? t(`audit.section.${value}`) : t('audit.aDocument'));

/** The clauses of a contact change, in the order the record shows its fields. */
function clauses(changes: Record<string, Change>, subject: AuditSubject): string[] {
  const out: string[] = [];
  for (const [field, change] of Object.entries(changes)) {
    if (BOOKKEEPING.has(field) || DERIVED_FROM[field]?.some((source) => source in changes)) continue;
    out.push(...clause(field, change, subject));
  }
  return out;
}

function clause(field: string, { before, after }: Change, subject: AuditSubject): string[] {
  const member = (id: unknown) => subject.members.find((m) => m.id === id)?.name ?? t('audit.actor.someone');
  switch (field) {
    case 'tags':
      return addedRemoved('tags', before as string[], after as string[], quote);
    case 'followerIds':
      return addedRemoved('followers', before as string[], after as string[], member);
    case 'emails':
    case 'phones':
      return entries(field, (before ?? []) as Entry[], (after ?? []) as Entry[]);
    case 'ownerId':
      return [t(empty(before) ? 'audit.owner.set' : empty(after) ? 'audit.owner.cleared' : 'audit.owner.changed', { before: member(before), after: member(after) })];
    case 'avatarUrl':
      return [t(empty(after) ? 'audit.avatar.cleared' : 'audit.avatar.set')];
    case 'attribution':
      return [t('audit.attribution')];
  }
  if (field.startsWith('dnd.')) return [t(after ? 'audit.dnd.on' : 'audit.dnd.off', { channel: t(`record.dnd.${field.slice(4)}`) })];
  if (field.startsWith('customFields.')) {
    const def = subject.fields.find((f) => f.key === field.slice(13));
    return [scalar(def?.label ?? field.slice(13), before, after, (v) => fieldValue(v, def?.type))];
  }
  const key = `audit.field.${field}`;
  const label = t(key) === key ? field : t(key);
  return [scalar(label, before, after, (v) => (field === 'address' ? address(v) : plain(v)))];
}

function scalar(field: string, before: unknown, after: unknown, show: (v: unknown) => string): string {
  const [b, a] = [empty(before) ? '' : quote(show(before)), empty(after) ? '' : quote(show(after))];
  return t(!b ? 'audit.set' : !a ? 'audit.cleared' : 'audit.changed', { field, before: b, after: a });
}

function addedRemoved(kind: string, before: string[] | null, after: string[] | null, show: (v: string) => string): string[] {
  const [b, a] = [before ?? [], after ?? []];
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const added = a.filter((x) => !lower(b).has(x.toLowerCase()));
  const removed = b.filter((x) => !lower(a).has(x.toLowerCase()));
  return [
    ...(added.length ? [plural(`audit.${kind}.added`, added.length, { list: list(added.map(show)) })] : []),
    ...(removed.length ? [plural(`audit.${kind}.removed`, removed.length, { list: list(removed.map(show)) })] : []),
  ];
}

/** Emails and phones by value: added, removed, a new primary, a label set or cleared. */
function entries(kind: 'emails' | 'phones', before: Entry[], after: Entry[]): string[] {
  const shown = new Map([...before, ...after].map((x) => [x.value, x.display ?? x.value]));
  const show = (v: string) => quote(shown.get(v) ?? v);
  const out = addedRemoved(kind, before.map((x) => x.value), after.map((x) => x.value), show);
  const primary = after.find((x) => x.primary);
  const was = before.find((x) => x.primary);
  if (primary && was && primary.value !== was.value) out.push(t(`audit.${kind}.primary`, { value: show(primary.value) }));
  for (const x of after) {
    const old = before.find((y) => y.value === x.value);
    if (!old || (old.label ?? null) === (x.label ?? null)) continue;
    const label = kind === 'phones' && x.label ? t(`record.label.${x.label}`) : x.label;
    out.push(label ? t('audit.label.set', { value: show(x.value), label: quote(label) }) : t('audit.label.cleared', { value: show(x.value) }));
  }
  return out;
}

function fieldValue(value: unknown, type: string | undefined): string {
  if (typeof value === 'boolean') return t(value ? 'audit.yes' : 'audit.no');
  if (Array.isArray(value)) return list(value.map(plain));
  if (type === 'date' && typeof value === 'string') return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${value}T00:00:00Z`));
  if (typeof value === 'number') return new Intl.NumberFormat(getLocale()).format(value);
  return plain(value);
}

const address = (value: unknown) =>
  ['line1', 'line2', 'city', 'region', 'postalCode', 'country']
    .map((k) => (value as Record<string, string | undefined>)?.[k])
    .filter(Boolean)
    .join(', ');

/** What of a share link changed. */
function linkClauses(changes: Record<string, Change>): string[] {
  const out: string[] = [];
  for (const [field, { before, after }] of Object.entries(changes)) {
    if (field === 'allowDownload' || field === 'verifyOtp') out.push(t(`audit.link.${field}.${after ? 'on' : 'off'}`));
    else if (field === 'require') out.push(t(`audit.link.require.${String(after)}`));
    else if (field === 'expiresAt') out.push(after ? t('audit.link.expires.set', { date: formatDate(after as number) }) : t('audit.link.expires.cleared'));
    else if (field === 'name') out.push(t('audit.link.name', { before: quote(before) }));
    else if (field === 'allowList' || field === 'denyList') out.push(t('audit.link.lists'));
  }
  return [...new Set(out)];
}
