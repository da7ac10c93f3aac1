// What an association can point at: a small registry of target kinds. A kind says how to look targets up (by id, in
// the caller's workspace and sight), how to search them (Add existing) and how to name them on a card. A kind whose
// links another feature already keeps (opportunities: `opportunity_contacts`) also brings a `LinkStore`: the
// associations API then reads and changes those links through that feature, with its built-in types, instead of
// storing them a second time. Until a kind is registered, association types of it are refused with `kind_unavailable`.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Caller } from '../../http/env.js';
import type { OpportunityStatus } from '../../db/schema.js';
import type { EventFeed } from '../events.js';
import type { AssociationJson } from './associations.js';
import type { AssociationTypeJson } from './association-types.js';
import { visibleTo } from '../contacts.js';
import { nameMatches } from './search.js';

/** Every kind the API knows; `opportunity` links are the Opportunities feature's (opportunity-kind.ts). */
export const TARGET_KINDS = ['contact', 'company', 'object', 'opportunity'] as const;
export type TargetKindName = (typeof TARGET_KINDS)[number];

/** A target as cards and search results show it. */
export interface TargetSummary {
  kind: TargetKindName;
  id: string;
  name: string;
  /** A second line: a contact's email, a company's domain, a record's type name. */
  detail: string | null;
  /** Kind `object`: the record's object type. */
  objectTypeId: string | null;
  /** Kind `opportunity`: what its card shows (the widget formats the value in the reader's language). */
  opportunity?: { stage: string; status: OpportunityStatus; value: number; currency: string };
}

/**
 * Links kept by another feature's table (not in `associations`): listed, made and removed through that feature, so
 * its rules, audit, webhooks and live events apply. Its types are built in (not stored, not editable).
 */
export interface LinkStore {
  types: AssociationTypeJson[];
  /** The contact's links as cards (the contact is visible to the caller). */
  list(db: Db, caller: Caller, contactId: string, limit: number): Promise<AssociationJson[]>;
  create(db: Db, events: EventFeed | undefined, caller: Caller, contactId: string, type: AssociationTypeJson, targetId: string, now: number): Promise<AssociationJson>;
  /** Removes the link with this card id; undefined when the contact has none such. */
  remove(db: Db, events: EventFeed | undefined, caller: Caller, contactId: string, id: string, now: number): Promise<AssociationJson | undefined>;
}

export interface TargetKind {
  kind: TargetKindName;
  /** The targets among `ids` the caller may see, by id (a missing id: no such target, or not visible). */
  lookup(db: Db, caller: Caller, ids: string[]): Promise<Map<string, TargetSummary>>;
  /** Targets whose name contains `q` (all when empty), at most `limit`; `objectTypeId` narrows kind `object`. */
  search(db: Db, caller: Caller, q: string, limit: number, objectTypeId?: string): Promise<TargetSummary[]>;
  /** Set for a kind whose links another feature keeps. */
  links?: LinkStore;
}

const registry = new Map<TargetKindName, TargetKind>();
export const registerTargetKind = (kind: TargetKind) => void registry.set(kind.kind, kind);
export const targetKind = (name: TargetKindName): TargetKind | undefined => registry.get(name);
export const registeredKinds = () => [...registry.keys()];
/** The kinds whose links other features keep. */
export const linkStores = () => [...registry.values()].flatMap((k) => (k.links ? [k.links] : []));
/** The built-in type with this id, and the store that keeps its links. */
export function builtInType(id: string): { type: AssociationTypeJson; store: LinkStore } | undefined {
  for (const store of linkStores()) {
    const type = store.types.find((t) => t.id === id);
    if (type) return { type, store };
  }
  return undefined;
}


const byId = (list: TargetSummary[]) => new Map(list.map((t) => [t.id, t]));

function contactQuery(db: Db, caller: Caller) {
  return db
    .selectFrom('contacts')
    .select(['contacts.id', 'contacts.display_name', (eb) => eb.selectFrom('contact_emails').select('value').whereRef('contact_emails.contact_id', '=', 'contacts.id').where('is_primary', '=', 1 as never).limit(1).as('email')])
    .where(visibleTo(caller))
    .where('contacts.deleted_at', 'is', null);
}
const contactSummary = (r: { id: string; display_name: string | null; email: string | null }): TargetSummary => ({ kind: 'contact', id: r.id, name: r.display_name ?? r.email ?? r.id, detail: r.email, objectTypeId: null });

registerTargetKind({
  kind: 'contact',
  async lookup(db, caller, ids) {
    if (!ids.length) return new Map();
    return byId((await contactQuery(db, caller).where('contacts.id', 'in', ids).execute()).map(contactSummary));
  },
  async search(db, caller, q, limit) {
    let query = contactQuery(db, caller);
    if (q) query = query.where((eb) => eb.or([nameMatches(db, 'contacts.display_name', q), eb.exists(eb.selectFrom('contact_emails as e').select(sql.lit(1).as('one')).whereRef('e.contact_id', '=', 'contacts.id').where(nameMatches(db, 'e.value', q)))]));
    return (await query.orderBy('contacts.display_name').orderBy('contacts.id').limit(limit).execute()).map(contactSummary);
  },
});

const companySummary = (r: { id: string; name: string; domain: string | null }): TargetSummary => ({ kind: 'company', id: r.id, name: r.name, detail: r.domain, objectTypeId: null });
registerTargetKind({
  kind: 'company',
  async lookup(db, caller, ids) {
    if (!ids.length) return new Map();
    return byId((await db.selectFrom('companies').select(['id', 'name', 'domain']).where('workspace_id', '=', caller.workspace.id).where('id', 'in', ids).execute()).map(companySummary));
  },
  async search(db, caller, q, limit) {
    let query = db.selectFrom('companies').select(['id', 'name', 'domain']).where('workspace_id', '=', caller.workspace.id);
    if (q) query = query.where((eb) => eb.or([nameMatches(db, 'companies.name', q), nameMatches(db, 'companies.domain', q)]));
    return (await query.orderBy('name').orderBy('id').limit(limit).execute()).map(companySummary);
  },
});

function recordQuery(db: Db, caller: Caller) {
  return db.selectFrom('object_records as r').innerJoin('object_types as t', 't.id', 'r.type_id').select(['r.id', 'r.name', 'r.type_id', 't.name as type_name']).where('r.workspace_id', '=', caller.workspace.id);
}
const recordSummary = (r: { id: string; name: string; type_id: string; type_name: string }): TargetSummary => ({ kind: 'object', id: r.id, name: r.name, detail: r.type_name, objectTypeId: r.type_id });
registerTargetKind({
  kind: 'object',
  async lookup(db, caller, ids) {
    if (!ids.length) return new Map();
    return byId((await recordQuery(db, caller).where('r.id', 'in', ids).execute()).map(recordSummary));
  },
  async search(db, caller, q, limit, objectTypeId) {
    let query = recordQuery(db, caller);
    if (objectTypeId) query = query.where('r.type_id', '=', objectTypeId);
    if (q) query = query.where(nameMatches(db, 'r.name', q));
    return (await query.orderBy('r.name').orderBy('r.id').limit(limit).execute()).map(recordSummary);
  },
});
