// Associations: typed links between a contact and another contact, a company, a custom object record or an
// opportunity. Each link is one row of `associations`, except an opportunity's: those are the Opportunities feature's
// rows, read and changed through its `LinkStore` (opportunity-kind.ts) with its own audit, webhooks and live events.
// A contact↔contact link shows on both contacts, each with the label of its own direction. Creating and removing audit the change on every contact it touches (the Activity
// timeline shows it), announce it to webhooks once, and publish it on the live feed after commit. Removing a link
// never deletes either record.
import type { Db } from '../../db/connection.js';
import type { AssociationsTable } from '../../db/schema-associations.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit } from '../audit.js';
import { actorOf, getVisibleContact } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { associationTypeJson, type AssociationTypeJson } from './association-types.js';
import { builtInType, linkStores, targetKind, type TargetKindName, type TargetSummary } from './kinds.js';
import './opportunity-kind.js';

/** A contact has at most this many links (the tab lists them all). */
export const MAX_ASSOCIATIONS = 500;

/** A link as one contact's card shows it. */
export interface AssociationJson {
  id: string;
  typeId: string;
  /** The relation read from this contact: "Reports to" on the report's card of their manager. */
  label: string;
  /** `forward`: this contact is the type's first side (its `label`); `reverse`: the second (its `reverseLabel`). */
  direction: 'forward' | 'reverse';
  /** The other side. */
  target: TargetSummary;
  createdAt: number;
}

/** What the audit log, the Activity timeline and webhooks keep of a link (the row may be gone by then). */
export interface AssociationRef {
  id: string;
  /** The other side's name at the time. */
  name: string;
  kind: TargetKindName;
  targetId: string;
  typeId: string;
  /** The label from the audited contact's side. */
  label: string;
  /** The audit row of the other contact of a contact↔contact link (webhooks announce the first one only). */
  mirror?: boolean;
}

type Row = AssociationsTable;
type TypeRow = AssociationTypeJson;

/** The label from `contactId`'s side of the row. */
const labelFor = (type: TypeRow, row: Row, contactId: string) => (row.contact_id === contactId ? type.label : (type.reverseLabel ?? type.label));

export class Associations {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {}

  /** Rows touching the contact on either side. */
  private rowsOf(db: Db, workspaceId: string, contactId: string) {
    return this.touching(db, workspaceId, contactId).selectAll();
  }

  private touching(db: Db, workspaceId: string, contactId: string) {
    return db
      .selectFrom('associations')
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('contact_id', '=', contactId), eb.and([eb('target_kind', '=', 'contact'), eb('target_id', '=', contactId)])]));
  }

  private async types(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, TypeRow>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('association_types').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, associationTypeJson(r)]));
  }

  /** Cards data: each link's other side as the caller may see it (a contact they may not see is left out). */
  private async cards(db: Db, caller: Caller, contactId: string, rows: Row[]): Promise<AssociationJson[]> {
    const types = await this.types(db, caller.workspace.id, rows.map((r) => r.type_id));
    const other = (r: Row) => (r.contact_id === contactId ? { kind: r.target_kind as TargetKindName, id: r.target_id } : { kind: 'contact' as const, id: r.contact_id });
    const wanted = new Map<TargetKindName, string[]>();
    for (const r of rows) {
      const o = other(r);
      wanted.set(o.kind, [...(wanted.get(o.kind) ?? []), o.id]);
    }
    const found = new Map<string, TargetSummary>();
    for (const [kind, ids] of wanted) {
      const k = targetKind(kind);
      if (!k) continue; // a kind this server no longer registers: its links are kept, not shown
      for (const [id, t] of await k.lookup(db, caller, ids)) found.set(`${kind}:${id}`, t);
    }
    const out: AssociationJson[] = [];
    for (const r of rows) {
      const o = other(r);
      const target = found.get(`${o.kind}:${o.id}`);
      const type = types.get(r.type_id);
      if (!target || !type) continue;
      out.push({ id: r.id, typeId: r.type_id, label: labelFor(type, r, contactId), direction: r.contact_id === contactId ? 'forward' : 'reverse', target, createdAt: r.created_at });
    }
    return out;
  }

  async list(caller: Caller, contactId: string): Promise<AssociationJson[]> {
    await getVisibleContact(this.db, caller, contactId);
    const rows = await this.rowsOf(this.db, caller.workspace.id, contactId).orderBy('created_at').orderBy('id').limit(MAX_ASSOCIATIONS).execute();
    const cards = await this.cards(this.db, caller, contactId, rows);
    for (const store of linkStores()) cards.push(...(await store.list(this.db, caller, contactId, MAX_ASSOCIATIONS)));
    return cards.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its associations.');
    return contact;
  }

  /**
   * Links the contact to a target with a type. `reverse`: the contact is the type's second side (for a
   * contact↔contact type: "Reports to" the target, stored as the target "Manager of" the contact).
   */
  async create(caller: Caller, contactId: string, input: { typeId: string; targetId: string; reverse?: boolean }, now: number): Promise<AssociationJson> {
    await this.writable(caller, contactId);
    const ws = caller.workspace.id;
    const builtIn = builtInType(input.typeId);
    if (builtIn) return this.createKept(caller, contactId, builtIn, input, now);
    const type = (await this.types(this.db, ws, [input.typeId])).get(input.typeId);
    if (!type) throw invalidField('typeId', `No association type ${input.typeId}.`);
    const kind = targetKind(type.targetKind);
    if (!kind) throw new ApiError(422, 'kind_unavailable', `Associations with ${type.targetKind} records are not available on this server.`, { field: 'typeId' });
    if (input.reverse && (type.targetKind !== 'contact' || type.reverseLabel === null)) throw invalidField('reverse', 'Only a contact-to-contact type with two labels has a reverse side.');
    const target = (await kind.lookup(this.db, caller, [input.targetId])).get(input.targetId);
    if (!target) throw invalidField('targetId', `No ${type.targetKind === 'object' ? 'record' : type.targetKind} ${input.targetId}.`);
    if (type.targetKind === 'object' && target.objectTypeId !== type.objectTypeId) throw invalidField('targetId', `${target.name} is not a record of this association type's object type.`);
    if (type.targetKind === 'contact' && input.targetId === contactId) throw invalidField('targetId', 'A contact cannot be associated with itself.');
    const [from, to] = input.reverse ? [input.targetId, contactId] : [contactId, input.targetId];
    const id = newId('as_', now);
    await this.db.transaction().execute(async (trx) => {
      await this.refuseDuplicate(trx, ws, type, from, to);
      const { n } = await this.touching(trx, ws, contactId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_ASSOCIATIONS) throw new ApiError(409, 'association_limit', `A contact has at most ${MAX_ASSOCIATIONS} associations.`, { limit: MAX_ASSOCIATIONS });
      const row: Row = { id, workspace_id: ws, type_id: type.id, contact_id: from, target_kind: type.targetKind, target_id: to, created_by: caller.kind === 'member' ? caller.member.id : null, created_at: now };
      await trx.insertInto('associations').values(row).execute();
      await this.audit(trx, caller, 'association.created', row, type, contactId, target, now);
    });
    this.publish('created', caller, contactId, id, type.targetKind === 'contact' ? input.targetId : null);
    const [card] = await this.cards(this.db, caller, contactId, await this.rowsOf(this.db, ws, contactId).where('id', '=', id).execute());
    return card!;
  }

  /** A link another feature keeps (an opportunity's): made through that feature, which audits and announces it. */
  private async createKept(caller: Caller, contactId: string, builtIn: NonNullable<ReturnType<typeof builtInType>>, input: { targetId: string; reverse?: boolean }, now: number) {
    if (input.reverse) throw invalidField('reverse', 'Only a contact-to-contact type with two labels has a reverse side.');
    const kind = targetKind(builtIn.type.targetKind)!;
    if (!(await kind.lookup(this.db, caller, [input.targetId])).has(input.targetId)) throw invalidField('targetId', `No ${builtIn.type.targetKind} ${input.targetId}.`);
    return builtIn.store.create(this.db, this.events, caller, contactId, builtIn.type, input.targetId, now);
  }

  /** The same link exists already (a symmetric contact↔contact link in either order). */
  private async refuseDuplicate(trx: Db, ws: string, type: TypeRow, from: string, to: string) {
    const symmetric = type.targetKind === 'contact' && type.reverseLabel === null;
    const same = await trx
      .selectFrom('associations')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('type_id', '=', type.id)
      .where((eb) => eb.or([eb.and([eb('contact_id', '=', from), eb('target_id', '=', to)]), ...(symmetric ? [eb.and([eb('contact_id', '=', to), eb('target_id', '=', from)])] : [])]))
      .executeTakeFirst();
    if (same) throw new ApiError(409, 'duplicate_association', 'These two are already associated this way.', { associationId: same.id });
  }

  /**
   * Audits a link change on the contact it was made from and, for a contact↔contact link, on the other contact
   * (marked `mirror`, each with the label of its own side). `seenFrom`: the contact the change was made on.
   */
  private async audit(trx: Db, caller: Caller, action: 'association.created' | 'association.deleted', row: Row, type: TypeRow, seenFrom: string, target: TargetSummary, now: number) {
    const ws = caller.workspace.id;
    const ref = (contactId: string, name: string, kind: TargetKindName, targetId: string, mirror: boolean): AssociationRef => ({ id: row.id, name, kind, targetId, typeId: type.id, label: labelFor(type, row, contactId), ...(mirror && { mirror }) });
    const change = (label: string) => (action === 'association.created' ? { before: null, after: label } : { before: label, after: null });
    const first = ref(seenFrom, target.name, target.kind, target.id, false);
    await writeAudit(trx, { workspaceId: ws, contactId: seenFrom, actor: actorOf(caller), action, changes: { association: change(first.label) }, context: { association: first }, at: now });
    if (target.kind !== 'contact') return;
    const self = await trx.selectFrom('contacts').select(['display_name']).where('id', '=', seenFrom).executeTakeFirst();
    const second = ref(target.id, self?.display_name ?? seenFrom, 'contact', seenFrom, true);
    await writeAudit(trx, { workspaceId: ws, contactId: target.id, actor: actorOf(caller), action, changes: { association: change(second.label) }, context: { association: second }, at: now });
  }

  private publish(type: 'created' | 'deleted', caller: Caller, contactId: string, id: string, otherContactId: string | null) {
    for (const c of otherContactId ? [contactId, otherContactId] : [contactId]) this.events?.publish({ type: `association.${type}`, workspaceId: caller.workspace.id, contactId: c, id });
  }

  /** Removes the link (never either record). */
  async remove(caller: Caller, contactId: string, id: string, now: number): Promise<AssociationJson> {
    await this.writable(caller, contactId);
    const ws = caller.workspace.id;
    const row = await this.rowsOf(this.db, ws, contactId).where('id', '=', id).executeTakeFirst();
    if (!row) {
      for (const store of linkStores()) {
        const removed = await store.remove(this.db, this.events, caller, contactId, id, now);
        if (removed) return removed;
      }
      throw notFound('Association');
    }
    const [card] = await this.cards(this.db, caller, contactId, [row]);
    // The other side must be one the caller may see (a restricted member does not learn of hidden contacts).
    if (!card) throw notFound('Association');
    const type = (await this.types(this.db, ws, [row.type_id])).get(row.type_id)!;
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('associations').where('id', '=', id).execute();
      await this.audit(trx, caller, 'association.deleted', row, type, contactId, card.target, now);
    });
    this.publish('deleted', caller, contactId, id, card.target.kind === 'contact' ? card.target.id : null);
    return card;
  }

  /**
   * Removes every link to a record that is being deleted (a company, a custom object record), inside its
   * transaction, audited on each contact; answers the contacts to tell once committed.
   */
  async removeLinksTo(trx: Db, caller: Caller, target: TargetSummary, now: number): Promise<{ contactId: string; id: string }[]> {
    const rows = await trx.selectFrom('associations').selectAll().where('workspace_id', '=', caller.workspace.id).where('target_kind', '=', target.kind).where('target_id', '=', target.id).execute();
    const types = await this.types(trx, caller.workspace.id, rows.map((r) => r.type_id));
    for (const row of rows) {
      await trx.deleteFrom('associations').where('id', '=', row.id).execute();
      await this.audit(trx, caller, 'association.deleted', row, types.get(row.type_id)!, row.contact_id, target, now);
    }
    return rows.map((r) => ({ contactId: r.contact_id, id: r.id }));
  }

  publishRemoved(caller: Caller, removed: { contactId: string; id: string }[]) {
    for (const r of removed) this.publish('deleted', caller, r.contactId, r.id, null);
  }
}
