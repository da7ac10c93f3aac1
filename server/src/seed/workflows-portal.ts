// Demo workflows and client portal: the host's workflows (three active, a draft, an inactive one), its course offers
// and community groups, and on the newest contacts enrolments (running at a step, completed, stopped) and grants —
// as the host would have recorded them through the API. Each gets its audit rows, so the record's Activity and audit
// log tell of them. Written once per workspace (skipped when it has workflows already).
import type { Insertable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { AuditEventsTable, EnrolmentStatus, PortalItemsTable, WorkflowStatus } from '../db/schema.js';
import { newId } from '../ids.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const WORKFLOWS: { hostId: string; name: string; status: WorkflowStatus; steps: string[] }[] = [
  { hostId: 'wf-lead-nurture', name: 'Lead nurture', status: 'active', steps: ['Welcome email', 'Case study', 'Follow-up call', 'Offer'] },
  { hostId: 'wf-onboarding', name: 'Customer onboarding', status: 'active', steps: ['Kick-off call', 'Account setup', 'Training', 'First review'] },
  { hostId: 'wf-renewal', name: 'Renewal reminders', status: 'active', steps: ['60 days before', '30 days before', '7 days before'] },
  { hostId: 'wf-webinar', name: 'Webinar follow-up (spring)', status: 'inactive', steps: ['Thank-you email', 'Recording'] },
  { hostId: 'wf-win-back', name: 'Win-back', status: 'draft', steps: ['We miss you'] },
];
const OFFERS: [string, string, PortalItemsTable['status']][] = [
  ['course-basics', 'Getting started (video course)', 'active'],
  ['course-advanced', 'Advanced reporting', 'active'],
  ['course-admin', 'Administrator certification', 'active'],
  ['course-2025', 'Launch course 2025', 'inactive'],
];
const GROUPS: [string, string, PortalItemsTable['status']][] = [
  ['group-customers', 'Customer community', 'active'],
  ['group-beta', 'Beta testers', 'active'],
  ['group-partners', 'Partner network', 'active'],
];

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

export async function seedWorkflowsAndPortal(db: Db, workspaceId: string, now: number, contacts = 40): Promise<void> {
  if (await db.selectFrom('workflows').select('id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) return;
  const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(contacts).execute()).map((c) => c.id);
  const rnd = random(24);
  const since = now - 120 * DAY;
  const workflows = WORKFLOWS.map((w, i) => ({ ...w, id: newId('wf_', since + i) }));
  await db.insertInto('workflows').values(workflows.map((w) => ({ id: w.id, workspace_id: workspaceId, host_id: w.hostId, name: w.name, status: w.status, created_at: since, updated_at: since }))).execute();
  const items = [...OFFERS.map((o) => ['offer', ...o] as const), ...GROUPS.map((g) => ['group', ...g] as const)].map(([kind, hostId, name, status], i) => ({
    id: newId(kind === 'offer' ? 'po_' : 'pg_', since + i), workspace_id: workspaceId, kind, host_id: hostId, name, status, created_at: since, updated_at: since,
  }));
  await db.insertInto('portal_items').values(items).execute();
  if (!ids.length) return;

  const enrolments = [];
  const grants = [];
  const audits: Insertable<AuditEventsTable>[] = [];
  const audit = (contactId: string, action: string, at: number, changes: Record<string, unknown>, context: Record<string, unknown>) =>
    audits.push({ id: newId('ev_', at), workspace_id: workspaceId, contact_id: contactId, actor_id: null, actor_type: 'api' as const, action, changes: JSON.stringify(changes), context: JSON.stringify(context), at });
  let n = 0;
  for (const [i, contactId] of ids.entries()) {
    // The newest contact: one running, one completed, one stopped; others zero to two.
    const picks = i === 0 ? [0, 3, 2] : [...new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => Math.floor(rnd() * 4)))];
    for (const [k, w] of picks.map((p) => workflows[p]!).entries()) {
      const status: EnrolmentStatus = i === 0 ? (['enrolled', 'completed', 'stopped'] as const)[k]! : w.status !== 'active' ? 'completed' : rnd() < 0.55 ? 'enrolled' : rnd() < 0.7 ? 'completed' : 'stopped';
      const enrolledAt = now - Math.floor((3 + rnd() * 80) * DAY);
      const step = status === 'completed' ? w.steps[w.steps.length - 1]! : w.steps[Math.floor(rnd() * w.steps.length)]!;
      const endedAt = status === 'enrolled' ? null : Math.min(now - HOUR, enrolledAt + Math.floor((1 + rnd() * 20) * DAY));
      const id = newId('we_', enrolledAt);
      enrolments.push({ id, workspace_id: workspaceId, contact_id: contactId, workflow_id: w.id, host_id: `enr-${++n}`, status, step, enrolled_at: enrolledAt, ended_at: endedAt, enrolled_by: null, stopped_by: null, updated_at: endedAt ?? enrolledAt });
      const context = { workflow: { id: w.id, name: w.name, hostId: w.hostId, enrolmentId: id, step } };
      audit(contactId, 'workflow.enrolled', enrolledAt, { status: { before: null, after: 'enrolled' } }, context);
      if (endedAt) audit(contactId, `workflow.${status}`, endedAt, { status: { before: 'enrolled', after: status } }, context);
    }
    const granted = i === 0 ? [items[0]!, items[1]!, items[4]!] : items.filter((it) => it.status === 'active' && rnd() < 0.18);
    for (const it of granted) {
      const at = now - Math.floor((1 + rnd() * 60) * DAY);
      grants.push({ workspace_id: workspaceId, contact_id: contactId, item_id: it.id, granted_at: at, granted_by: null });
      audit(contactId, it.kind === 'offer' ? 'portal.offer_granted' : 'portal.group_joined', at, {}, { portal: { id: it.id, name: it.name, kind: it.kind, hostId: it.host_id } });
    }
  }
  if (enrolments.length) await db.insertInto('workflow_enrolments').values(enrolments).execute();
  if (grants.length) await db.insertInto('portal_grants').values(grants).execute();
  for (let i = 0; i < audits.length; i += 200) await db.insertInto('audit_events').values(audits.slice(i, i + 200)).execute();
}
