// Demo pipelines and opportunities: Sales (Lead › Qualified › Proposal › Negotiation) and Renewals (Due ›
// Contacted › Renewed), and on the newest contacts a dozen opportunities in every stage and status (a few shared by
// two contacts, one primary), each with its "created" audit row so the record's Activity tells of it. Written once
// per workspace (skipped when it has pipelines already).
import type { Db } from '../db/connection.js';
import type { OpportunityStatus } from '../db/schema.js';
import { newId } from '../ids.js';

const DAY = 86_400_000;
const PIPELINES = [
  { name: 'Sales', stages: ['Lead', 'Qualified', 'Proposal', 'Negotiation'] },
  { name: 'Renewals', stages: ['Due', 'Contacted', 'Renewed'] },
];
// name, pipeline, stage, value (minor units), currency, status, source, close in days, lost reason
const DEALS: [string, number, number, number, string, OpportunityStatus, string | null, number | null, string | null][] = [
  ['Website relaunch', 0, 2, 1_850_000, 'EUR', 'open', 'Referral', 21, null],
  ['Annual support plan', 1, 1, 480_000, 'EUR', 'open', 'Existing customer', 30, null],
  ['Team licences (25 seats)', 0, 3, 2_250_000, 'USD', 'open', 'Website', 14, null],
  ['Onboarding workshop', 0, 0, 120_000, 'GBP', 'open', 'Trade fair', 45, null],
  ['Data migration', 0, 1, 760_000, 'EUR', 'open', 'Google Ads', 60, null],
  ['Hardware refresh', 0, 3, 4_300_000, 'USD', 'won', 'Referral', -5, null],
  ['Consulting retainer', 0, 2, 900_000, 'CHF', 'lost', 'Cold call', -12, 'Chose a cheaper provider'],
  ['Maintenance renewal 2027', 1, 0, 360_000, 'EUR', 'open', 'Existing customer', 40, null],
  ['Pilot project', 0, 0, 50_000, 'EUR', 'abandoned', 'Website', null, null],
  ['Mobile app add-on', 0, 1, 1_500_000, 'JPY', 'open', 'Partner', 75, null],
  ['Support renewal', 1, 2, 240_000, 'GBP', 'won', 'Existing customer', -2, null],
  ['Training days', 0, 2, 320_000, 'EUR', 'open', 'Newsletter', 10, null],
];

export async function seedOpportunities(db: Db, workspaceId: string, now: number, contacts = 12): Promise<void> {
  if (await db.selectFrom('pipelines').select('id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) return;
  const members = (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute()).map((m) => m.id);
  const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(contacts).execute()).map((c) => c.id);
  const created = now - 40 * DAY;
  const pipelines = PIPELINES.map((p, i) => ({ ...p, id: newId('pl_', created + i), stageIds: p.stages.map((_, j) => newId('ps_', created + i * 10 + j)) }));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('pipelines').values(pipelines.map((p) => ({ id: p.id, workspace_id: workspaceId, name: p.name, created_at: created, updated_at: created }))).execute();
    await trx
      .insertInto('pipeline_stages')
      .values(pipelines.flatMap((p) => p.stages.map((name, position) => ({ id: p.stageIds[position]!, workspace_id: workspaceId, pipeline_id: p.id, name, position, created_at: created }))))
      .execute();
    if (!ids.length) return;
    for (const [i, [name, pi, si, value, currency, status, source, closeIn, lostReason]] of DEALS.entries()) {
      const p = pipelines[pi]!;
      const at = now - (DEALS.length - i) * 2 * DAY;
      const id = newId('op_', at);
      const owner = members.length ? members[i % members.length]! : null;
      const close = closeIn === null ? null : new Date(now + closeIn * DAY).toISOString().slice(0, 10);
      await trx
        .insertInto('opportunities')
        .values({ id, workspace_id: workspaceId, name, pipeline_id: p.id, stage_id: p.stageIds[si]!, value, currency, status, lost_reason: lostReason, owner_id: owner, source, close_date: close, status_changed_at: status === 'open' ? null : at + DAY, created_by: owner, created_at: at, updated_at: status === 'open' ? at : at + DAY, deleted_at: null })
        .execute();
      // The newest contact gets several (the demo opens it first); every third deal is shared with a second contact.
      const primary = ids[i % 3 === 0 ? 0 : i % ids.length]!;
      const second = i % 3 === 0 && ids.length > 1 ? ids[(i + 1) % ids.length]! : null;
      const links = [{ contact_id: primary, role: 'primary' as const }, ...(second && second !== primary ? [{ contact_id: second, role: 'associated' as const }] : [])];
      await trx.insertInto('opportunity_contacts').values(links.map((l) => ({ workspace_id: workspaceId, opportunity_id: id, ...l, created_at: at }))).execute();
      const changes = { name: { before: null, after: name }, pipeline: { before: null, after: p.name }, stage: { before: null, after: p.stages[si]! }, value: { before: null, after: value }, currency: { before: null, after: currency }, status: { before: null, after: 'open' } };
      for (const l of links) {
        await trx.insertInto('audit_events').values({ id: newId('ev_', at), workspace_id: workspaceId, contact_id: l.contact_id, actor_id: owner, actor_type: owner ? 'member' : 'api', action: l.role === 'primary' ? 'opportunity.created' : 'opportunity.linked', changes: JSON.stringify(l.role === 'primary' ? changes : { role: { before: null, after: 'associated' } }), context: JSON.stringify({ opportunity: { id, name } }), at }).execute();
        if (status !== 'open') {
          await trx.insertInto('audit_events').values({ id: newId('ev_', at + DAY), workspace_id: workspaceId, contact_id: l.contact_id, actor_id: owner, actor_type: owner ? 'member' : 'api', action: 'opportunity.status_changed', changes: JSON.stringify({ status: { before: 'open', after: status }, ...(lostReason && { lostReason: { before: null, after: lostReason } }) }), context: JSON.stringify({ opportunity: { id, name } }), at: at + DAY }).execute();
        }
      }
    }
  });
}
