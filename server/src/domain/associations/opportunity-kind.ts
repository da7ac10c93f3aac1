// Opportunities as an association target kind. Their links are the Opportunities feature's `opportunity_contacts`
// rows (one primary per opportunity, the others associated), not rows of `associations`: the Associations tab lists,
// makes and removes them through `Opportunities`, so its rules (the first contact linked is the primary; unlinking
// the primary makes the earliest other one primary), its audit and Activity entries, its webhooks and its live
// events are the same whichever tab the change is made in, and merges carry each link once (merge.ts moves
// `opportunity_contacts`). The association types of this kind are the two roles, built in.
import type { Db } from '../../db/connection.js';
import type { OpportunityRole } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField } from '../../http/errors.js';
import { formatMoney } from '../../../../packages/core/src/money.js';
import { Opportunities, type OpportunityJson } from '../opportunities/opportunities.js';
import type { AssociationJson } from './associations.js';
import type { AssociationTypeJson } from './association-types.js';
import { registerTargetKind, type TargetSummary } from './kinds.js';

const builtIn = (role: OpportunityRole, label: string): AssociationTypeJson => ({
  id: `opportunity.${role}`,
  targetKind: 'opportunity',
  objectTypeId: null,
  label,
  reverseLabel: 'Opportunity',
  builtIn: true,
  createdAt: 0,
  updatedAt: 0,
});
/** The built-in types: the contact's role on the opportunity. */
export const OPPORTUNITY_TYPES: Record<OpportunityRole, AssociationTypeJson> = {
  primary: builtIn('primary', 'Primary contact'),
  associated: builtIn('associated', 'Associated contact'),
};
const roleOf = (typeId: string): OpportunityRole => (typeId === OPPORTUNITY_TYPES.primary.id ? 'primary' : 'associated');

/** A card's id: the opportunity's, marked (a contact has one link to an opportunity at most). */
const PREFIX = 'opportunity:';
export const opportunityLinkId = (opportunityId: string) => `${PREFIX}${opportunityId}`;

/** "Proposal · $12,000.00" (English: the API's text; the widget formats `opportunity` in the reader's language). */
function summary(o: OpportunityJson): TargetSummary {
  return {
    kind: 'opportunity',
    id: o.id,
    name: o.name,
    detail: `${o.stage.name} · ${formatMoney(o.value, o.currency, 'en')}`,
    objectTypeId: null,
    opportunity: { stage: o.stage.name, status: o.status, value: o.value, currency: o.currency },
  };
}

function card(o: OpportunityJson, role: OpportunityRole, createdAt: number): AssociationJson {
  const type = OPPORTUNITY_TYPES[role];
  return { id: opportunityLinkId(o.id), typeId: type.id, label: type.label, direction: 'forward', target: summary(o), createdAt };
}

/** The contact's link rows (role and when it was made), by opportunity. */
async function linkRows(db: Db, contactId: string, opportunityIds?: string[]) {
  if (opportunityIds && !opportunityIds.length) return new Map<string, { opportunity_id: string; role: OpportunityRole; created_at: number }>(); // PostgreSQL refuses `in ()`
  let q = db.selectFrom('opportunity_contacts').select(['opportunity_id', 'role', 'created_at']).where('contact_id', '=', contactId);
  if (opportunityIds) q = q.where('opportunity_id', 'in', opportunityIds);
  return new Map((await q.execute()).map((r) => [r.opportunity_id, r]));
}

/** The opportunity when the caller may see it (and it is not deleted). */
async function visibleOpportunity(opportunities: Opportunities, caller: Caller, id: string): Promise<OpportunityJson | undefined> {
  try {
    return await opportunities.get(caller, id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

registerTargetKind({
  kind: 'opportunity',
  async lookup(db, caller, ids) {
    const opportunities = new Opportunities(db, undefined);
    const out = new Map<string, TargetSummary>();
    for (const id of new Set(ids)) {
      const o = await visibleOpportunity(opportunities, caller, id);
      if (o) out.set(id, summary(o));
    }
    return out;
  },
  async search(db, caller, q, limit) {
    // Newest change first, as the Opportunities tab's own search: the deal one is working on comes up first.
    const page = await new Opportunities(db, undefined).list(caller, { q: q || undefined }, { limit });
    return page.items.map(summary);
  },
  links: {
    // Associated first: the default choice leaves the opportunity's primary contact as it is.
    types: [OPPORTUNITY_TYPES.associated, OPPORTUNITY_TYPES.primary],

    async list(db, caller, contactId, limit) {
      const { items } = await new Opportunities(db, undefined).listForContact(caller, contactId, { limit });
      const rows = await linkRows(db, contactId, items.map((o) => o.id));
      return items.flatMap((o) => {
        const row = rows.get(o.id);
        return row ? [card(o, row.role, row.created_at)] : [];
      });
    },

    async create(db, events, caller, contactId, type, targetId, now) {
      const existing = (await linkRows(db, contactId, [targetId])).get(targetId);
      if (existing) {
        throw new ApiError(409, 'duplicate_association', `This contact is linked to this opportunity already (${OPPORTUNITY_TYPES[existing.role].label}); change its role in the opportunity.`, {
          associationId: opportunityLinkId(targetId),
        });
      }
      // The opportunities domain decides the role in the end (the first contact linked is the primary).
      const o = await new Opportunities(db, events).link(caller, targetId, contactId, roleOf(type.id), now);
      const row = (await linkRows(db, contactId, [targetId])).get(targetId);
      if (!row) throw invalidField('targetId', 'The link was not made.');
      return card(o, row.role, row.created_at);
    },

    async remove(db, events, caller, contactId, id, now) {
      if (!id.startsWith(PREFIX)) return undefined;
      const opportunityId = id.slice(PREFIX.length);
      const row = (await linkRows(db, contactId, [opportunityId])).get(opportunityId);
      if (!row) return undefined;
      const opportunities = new Opportunities(db, events);
      const before = await visibleOpportunity(opportunities, caller, opportunityId);
      if (!before) return undefined;
      await opportunities.unlink(caller, opportunityId, contactId, now);
      return card(before, row.role, row.created_at);
    },
  },
});
