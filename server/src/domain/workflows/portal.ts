// The client portal (the record's Actions panel): the host's course offers and community groups (catalogues it
// registers by its own ids) and, per contact, the offers granted and the groups joined. A grant is a set member:
// granting twice keeps one, and merge unites the contacts' sets. Each change is audited (Activity and the audit log
// read it; the `portal.*` webhooks are written with it), published live, and the widget fires a DOM event for it.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { engineOf } from '../../db/engine/index.js';
import type { PortalItemsTable, PortalKind } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit } from '../audit.js';
import { actorOf, getVisibleContact } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { assertHost, assertVisible } from './host-records.js';

export type PortalStatus = PortalItemsTable['status'];

export interface PortalItemJson {
  id: string;
  hostId: string;
  kind: PortalKind;
  name: string;
  status: PortalStatus;
  createdAt: number;
  updatedAt: number;
}

export interface PortalGrantJson {
  item: { id: string; hostId: string; name: string; status: PortalStatus };
  grantedAt: number;
  grantedBy: { id: string; name: string | null } | null;
}

export type PortalCursor = [string, string];

/** The audit actions (and webhook types) of each change. */
export const PORTAL_ACTIONS = {
  offer: { add: 'portal.offer_granted', remove: 'portal.offer_revoked' },
  group: { add: 'portal.group_joined', remove: 'portal.group_left' },
} as const;

const KIND_NAME: Record<PortalKind, string> = { offer: 'Course offer', group: 'Community group' };

export const portalItemJson = (r: PortalItemsTable): PortalItemJson => ({ id: r.id, hostId: r.host_id, kind: r.kind, name: r.name, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at });

export class Portal {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {}

  /** Registers the host's offer or group, or updates it (same host id); `created` tells which. */
  async register(caller: Caller, kind: PortalKind, hostId: string, input: { name: string; status: PortalStatus }, now: number): Promise<{ item: PortalItemJson; created: boolean }> {
    assertHost(caller, kind === 'offer' ? 'registers course offers' : 'registers community groups');
    const ws = caller.workspace.id;
    const existing = await this.db.selectFrom('portal_items').selectAll().where('workspace_id', '=', ws).where('kind', '=', kind).where('host_id', '=', hostId).executeTakeFirst();
    if (existing) {
      if (existing.name === input.name && existing.status === input.status) return { item: portalItemJson(existing), created: false };
      await this.db.updateTable('portal_items').set({ name: input.name, status: input.status, updated_at: now }).where('id', '=', existing.id).execute();
      return { item: portalItemJson({ ...existing, ...input, updated_at: now }), created: false };
    }
    const row: PortalItemsTable = { id: newId(kind === 'offer' ? 'po_' : 'pg_', now), workspace_id: ws, kind, host_id: hostId, name: input.name, status: input.status, created_at: now, updated_at: now };
    const inserted = await this.db.insertInto('portal_items').values(row).onConflict((oc) => oc.columns(['workspace_id', 'kind', 'host_id']).doNothing()).executeTakeFirst();
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 1)) return this.register(caller, kind, hostId, input, now);
    return { item: portalItemJson(row), created: true };
  }

  /** The catalogue by name (keyset pages); `status` and `q` (in the name) narrow it. */
  async list(caller: Caller, kind: PortalKind, o: { status?: PortalStatus; q?: string; limit: number; after?: PortalCursor }) {
    let q = this.db.selectFrom('portal_items').selectAll().where('workspace_id', '=', caller.workspace.id).where('kind', '=', kind);
    if (o.status) q = q.where('status', '=', o.status);
    if (o.q) q = q.where(engineOf(this.db).text.like(sql.ref('name'), `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
    if (o.after) {
      const [name, id] = o.after;
      q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
    }
    const rows = await q.orderBy('name').orderBy('id').limit(o.limit + 1).execute();
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: shown.map(portalItemJson), next: rows.length > o.limit && last ? ([last.name, last.id] as PortalCursor) : null };
  }

  /** The contact's granted offers and joined groups, each by name. */
  async ofContact(caller: Caller, contactId: string, db: Db = this.db): Promise<{ offers: PortalGrantJson[]; groups: PortalGrantJson[] }> {
    await assertVisible(db, caller, contactId);
    const rows = await db
      .selectFrom('portal_grants as g')
      .innerJoin('portal_items as i', 'i.id', 'g.item_id')
      .leftJoin('members as m', 'm.id', 'g.granted_by')
      .select(['i.id', 'i.host_id', 'i.kind', 'i.name', 'i.status', 'g.granted_at', 'g.granted_by', 'm.name as granted_by_name'])
      .where('g.workspace_id', '=', caller.workspace.id)
      .where('g.contact_id', '=', contactId)
      .orderBy('i.name')
      .orderBy('i.id')
      .execute();
    const json = (r: (typeof rows)[number]): PortalGrantJson => ({
      item: { id: r.id, hostId: r.host_id, name: r.name, status: r.status },
      grantedAt: r.granted_at,
      grantedBy: r.granted_by ? { id: r.granted_by, name: r.granted_by_name } : null,
    });
    return { offers: rows.filter((r) => r.kind === 'offer').map(json), groups: rows.filter((r) => r.kind === 'group').map(json) };
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its portal access.');
  }

  private async item(caller: Caller, kind: PortalKind, id: string): Promise<PortalItemsTable> {
    const row = await this.db.selectFrom('portal_items').selectAll().where('workspace_id', '=', caller.workspace.id).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(KIND_NAME[kind]);
    return row;
  }

  private audit(trx: Db, caller: Caller, contactId: string, item: PortalItemsTable, action: string, now: number) {
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId, actor: actorOf(caller), action, changes: {}, context: { portal: { id: item.id, name: item.name, kind: item.kind, hostId: item.host_id } }, at: now });
  }

  /** Grants the offer / adds to the group; `created` is false when the contact had it already (nothing changes). */
  async add(caller: Caller, contactId: string, kind: PortalKind, itemId: string, now: number): Promise<{ grant: PortalGrantJson; created: boolean }> {
    await this.writable(caller, contactId);
    const item = await this.item(caller, kind, itemId);
    const created = await this.db.transaction().execute(async (trx) => {
      const had = await trx.selectFrom('portal_grants').select('item_id').where('contact_id', '=', contactId).where('item_id', '=', item.id).executeTakeFirst();
      if (had) return false;
      if (item.status !== 'active') throw new ApiError(409, 'item_inactive', `“${item.name}” is inactive; the host must make it active before it is ${kind === 'offer' ? 'granted' : 'joined'}.`);
      const inserted = await trx
        .insertInto('portal_grants')
        .values({ workspace_id: caller.workspace.id, contact_id: contactId, item_id: item.id, granted_at: now, granted_by: caller.kind === 'member' ? caller.member.id : null })
        .onConflict((oc) => oc.columns(['contact_id', 'item_id']).doNothing())
        .executeTakeFirst();
      if (!Number(inserted.numInsertedOrUpdatedRows ?? 1)) return false;
      await this.audit(trx, caller, contactId, item, PORTAL_ACTIONS[kind].add, now);
      return true;
    });
    if (created) this.events?.publish({ type: 'portal.created', workspaceId: caller.workspace.id, contactId, id: item.id });
    const list = await this.ofContact(caller, contactId);
    return { grant: (kind === 'offer' ? list.offers : list.groups).find((g) => g.item.id === item.id)!, created };
  }

  /** Revokes the offer / removes from the group; 404 when the contact does not have it. */
  async remove(caller: Caller, contactId: string, kind: PortalKind, itemId: string, now: number): Promise<PortalItemJson> {
    await this.writable(caller, contactId);
    const item = await this.item(caller, kind, itemId);
    await this.db.transaction().execute(async (trx) => {
      const done = await trx.deleteFrom('portal_grants').where('contact_id', '=', contactId).where('item_id', '=', item.id).executeTakeFirst();
      if (!Number(done.numDeletedRows)) throw notFound(kind === 'offer' ? 'Granted offer' : 'Group membership');
      await this.audit(trx, caller, contactId, item, PORTAL_ACTIONS[kind].remove, now);
    });
    this.events?.publish({ type: 'portal.deleted', workspaceId: caller.workspace.id, contactId, id: item.id });
    return portalItemJson(item);
  }
}
