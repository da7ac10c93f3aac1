// Opportunities: a deal in a pipeline's stage, with a value in integer minor units of an ISO 4217 currency, a status
// (open / won / lost / abandoned), an owner, a source, an expected close date, and the contacts linked to it (at most
// one primary, any number associated). Every change is audited on each linked contact (their Activity timelines show
// it), sends one webhook in the same transaction, and is published on the event feed once committed.
//
// Who sees one: everyone but members restricted to assigned contacts, who see the opportunities they own or that
// are linked to a contact they may see. Anyone who may edit contacts creates, edits and links them; deleting one is
// for its creator and members with `pipelines.manage`.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/connection.js';
import { engineOf } from '../../db/engine/index.js';
import type { Database, OpportunitiesTable, OpportunityRole, OpportunityStatus } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, forbidden, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { can } from '../permissions.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf, getVisibleContact, visibleTo } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { enqueueWebhook } from '../webhook-outbox.js';
import type { WebhookEventType } from '../webhook-events.js';
import { Pipelines } from './pipelines.js';

export const MAX_NAME = 200;
export const MAX_SOURCE = 100;
export const MAX_LOST_REASON = 500;
/** Minor units: below 2^53 so every value is an exact JSON number. */
export const MAX_VALUE = 9_000_000_000_000_000;
export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost', 'abandoned'] as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
/** An ISO 4217 code this runtime knows (upper case). */
export const isCurrency = (code: string) => CURRENCIES.has(code);

export interface OpportunityContactJson {
  id: string;
  name: string | null;
  avatarUrl: string | null;
  role: OpportunityRole;
}

export interface OpportunityJson {
  id: string;
  name: string;
  pipeline: { id: string; name: string };
  stage: { id: string; name: string; position: number };
  /** Integer minor units of `currency` (1999 with USD: $19.99). */
  value: number;
  currency: string;
  status: OpportunityStatus;
  lostReason: string | null;
  owner: { id: string; name: string | null } | null;
  source: string | null;
  /** Expected close date (YYYY-MM-DD). */
  closeDate: string | null;
  statusChangedAt: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  /** The linked contacts the caller may see: the primary first, then by when they were linked. */
  contacts: OpportunityContactJson[];
  /** Whether the caller may delete it. */
  canDelete: boolean;
}

export interface OpportunityInput {
  name: string;
  pipelineId: string;
  stageId?: string;
  value?: number;
  currency: string;
  status?: OpportunityStatus;
  lostReason?: string | null;
  ownerId?: string | null;
  source?: string | null;
  closeDate?: string | null;
  /** The primary contact. */
  contactId?: string;
}
export type OpportunityPatch = Partial<Omit<OpportunityInput, 'contactId'>>;
export type OpportunityFilter = { q?: string; status?: OpportunityStatus; pipelineId?: string; stageId?: string };
/** A keyset position by last change and id. */
export type OpportunityCursor = [number, string];

type Row = OpportunitiesTable & { pipeline_name: string; stage_name: string | null; stage_position: number | null; owner_name: string | null };
type Ex = ExpressionBuilder<Database & { o: OpportunitiesTable }, 'o'>;

const mayDelete = (caller: Caller, createdBy: string | null) => caller.kind !== 'member' || can(caller.member.role, 'pipelines.manage') || createdBy === caller.member.id;

/** Restricted members: opportunities they own or linked to a contact they may see. */
function visible(caller: Caller) {
  return (eb: Ex) => {
    const mine = eb('o.workspace_id', '=', caller.workspace.id);
    if (caller.kind !== 'member' || !caller.member.restrict_to_assigned) return mine;
    return eb.and([
      mine,
      eb.or([
        eb('o.owner_id', '=', caller.member.id),
        eb.exists(
          eb
            .selectFrom('opportunity_contacts as l')
            .innerJoin('contacts', 'contacts.id', 'l.contact_id')
            .select(sql.lit(1).as('one'))
            .whereRef('l.opportunity_id', '=', 'o.id')
            .where(visibleTo(caller) as never),
        ),
      ]),
    ]);
  };
}

/** A calendar date that exists (2026-02-30 does not). */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

export class Opportunities {
  private readonly pipelines: Pipelines;
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {
    this.pipelines = new Pipelines(db);
  }

  private select(db: Db = this.db) {
    return db
      .selectFrom('opportunities as o')
      .innerJoin('pipelines as p', 'p.id', 'o.pipeline_id')
      .leftJoin('pipeline_stages as s', 's.id', 'o.stage_id')
      .leftJoin('members as m', 'm.id', 'o.owner_id')
      .selectAll('o')
      .select(['p.name as pipeline_name', 's.name as stage_name', 's.position as stage_position', 'm.name as owner_name']);
  }

  /** Rows to JSON, with the linked contacts the caller may see. */
  private async toJson(rows: Row[], caller: Caller, db: Db = this.db): Promise<OpportunityJson[]> {
    if (!rows.length) return [];
    const links = await db
      .selectFrom('opportunity_contacts as l')
      .innerJoin('contacts', 'contacts.id', 'l.contact_id')
      .select(['l.opportunity_id', 'l.role', 'l.created_at', 'contacts.id', 'contacts.display_name', 'contacts.avatar_url'])
      .where('l.opportunity_id', 'in', rows.map((r) => r.id))
      .where('contacts.merged_into_id', 'is', null)
      .where(visibleTo(caller) as never)
      .orderBy('l.created_at')
      .orderBy('contacts.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      pipeline: { id: r.pipeline_id, name: r.pipeline_name },
      stage: { id: r.stage_id, name: r.stage_name ?? '', position: r.stage_position ?? 0 },
      value: Number(r.value),
      currency: r.currency,
      status: r.status,
      lostReason: r.lost_reason,
      owner: r.owner_id ? { id: r.owner_id, name: r.owner_name } : null,
      source: r.source,
      closeDate: r.close_date,
      statusChangedAt: r.status_changed_at,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      contacts: links
        .filter((l) => l.opportunity_id === r.id)
        .sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1))
        .map((l) => ({ id: l.id, name: l.display_name, avatarUrl: l.avatar_url, role: l.role })),
      canDelete: mayDelete(caller, r.created_by),
    }));
  }

  private async row(caller: Caller, id: string, db: Db = this.db): Promise<Row> {
    const row = (await this.select(db).where('o.id', '=', id).where('o.deleted_at', 'is', null).where(visible(caller) as never).executeTakeFirst()) as Row | undefined;
    if (!row) throw notFound('Opportunity');
    return row;
  }

  async get(caller: Caller, id: string): Promise<OpportunityJson> {
    return (await this.toJson([await this.row(caller, id)], caller))[0]!;
  }

  /** Newest change first, keyset-paged; `q` searches the name (what "link existing" asks). */
  async list(caller: Caller, f: OpportunityFilter, o: { limit: number; after?: OpportunityCursor }) {
    let q = this.select().where('o.deleted_at', 'is', null).where(visible(caller) as never);
    if (f.status) q = q.where('o.status', '=', f.status);
    if (f.pipelineId) q = q.where('o.pipeline_id', '=', f.pipelineId);
    if (f.stageId) q = q.where('o.stage_id', '=', f.stageId);
    if (f.q) q = q.where(engineOf(this.db).text.like(sql.ref('o.name'), `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
    if (o.after) {
      const [at, id] = o.after;
      q = q.where((eb) => eb.or([eb('o.updated_at', '<', at), eb.and([eb('o.updated_at', '=', at), eb('o.id', '<', id)])]));
    }
    const rows = (await q.orderBy('o.updated_at', 'desc').orderBy('o.id', 'desc').limit(o.limit + 1).execute()) as Row[];
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: await this.toJson(shown, caller), next: rows.length > o.limit && last ? ([last.updated_at, last.id] as OpportunityCursor) : null };
  }

  /** A contact's opportunities: open ones first, then the others; each group by last change. At most `limit`. */
  async listForContact(caller: Caller, contactId: string, o: { status?: OpportunityStatus; limit: number }) {
    await getVisibleContact(this.db, caller, contactId);
    let q = this.select()
      .innerJoin('opportunity_contacts as l', 'l.opportunity_id', 'o.id')
      .where('l.contact_id', '=', contactId)
      .where('o.deleted_at', 'is', null)
      .where('o.workspace_id', '=', caller.workspace.id);
    if (o.status) q = q.where('o.status', '=', o.status);
    const rows = (await q
      .orderBy(sql`case when o.status = 'open' then 0 else 1 end`)
      .orderBy('o.updated_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(o.limit)
      .execute()) as Row[];
    return { items: await this.toJson(rows, caller) };
  }

  private async checkOwner(caller: Caller, id: string | null | undefined) {
    if (!id) return;
    const m = await this.db.selectFrom('members').select('id').where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!m) throw invalidField('ownerId', `No member with id ${id} in this workspace.`);
  }

  /** A contact one may link: visible, not in the restore bin. */
  private async linkable(caller: Caller, contactId: string, field = 'contactId') {
    let contact;
    try {
      contact = await getVisibleContact(this.db, caller, contactId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw invalidField(field, `No contact with id ${contactId}.`);
      throw err;
    }
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before linking it to an opportunity.');
    return contact;
  }

  private async contactIds(db: Db, id: string): Promise<{ all: string[]; primary: string | null }> {
    const rows = await db.selectFrom('opportunity_contacts').select(['contact_id', 'role']).where('opportunity_id', '=', id).orderBy('created_at').execute();
    return { all: rows.map((r) => r.contact_id), primary: rows.find((r) => r.role === 'primary')?.contact_id ?? null };
  }

  /** One audit row per contact given (their timelines show it). */
  private async audit(trx: Db, caller: Caller, contactIds: string[], action: string, changes: Changes, opp: { id: string; name: string }, now: number) {
    for (const contactId of contactIds) {
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId, actor: actorOf(caller), action, changes, context: { opportunity: { id: opp.id, name: opp.name } }, at: now });
    }
  }

  /** One webhook per change, ordered with the primary contact's other deliveries. */
  private async webhook(trx: Db, caller: Caller, type: WebhookEventType, id: string, now: number, extra: Record<string, unknown> = {}) {
    await enqueueWebhook(trx, caller.workspace.id, type, async () => {
      const opportunity = await Opportunities.json(trx, id);
      const { primary } = await this.contactIds(trx, id);
      const actor = actorOf(caller);
      return { type, contactId: primary, at: now, data: { opportunityId: id, actor: { type: actor.type, id: actor.id }, ...extra, opportunity } };
    });
  }

  private publish(type: 'created' | 'updated' | 'deleted', caller: Caller, contactIds: Iterable<string>, id: string) {
    for (const contactId of new Set(contactIds)) this.events?.publish({ type: `opportunity.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  async create(caller: Caller, input: OpportunityInput, now: number): Promise<OpportunityJson> {
    const { pipeline, stage } = await this.pipelines.stageOf(caller, input.pipelineId, input.stageId);
    const ownerId = input.ownerId === undefined ? (caller.kind === 'member' ? caller.member.id : null) : input.ownerId;
    await this.checkOwner(caller, ownerId);
    if (input.contactId) await this.linkable(caller, input.contactId);
    const status = input.status ?? 'open';
    const id = newId('op_', now);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('opportunities')
        .values({
          id,
          workspace_id: caller.workspace.id,
          name: input.name,
          pipeline_id: pipeline.id,
          stage_id: stage.id,
          value: input.value ?? 0,
          currency: input.currency,
          status,
          lost_reason: status === 'lost' ? (input.lostReason ?? null) : null,
          owner_id: ownerId,
          source: input.source ?? null,
          close_date: input.closeDate ?? null,
          status_changed_at: status === 'open' ? null : now,
          created_by: caller.kind === 'member' ? caller.member.id : null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .execute();
      if (input.contactId) await trx.insertInto('opportunity_contacts').values({ workspace_id: caller.workspace.id, opportunity_id: id, contact_id: input.contactId, role: 'primary', created_at: now }).execute();
      const after = { name: input.name, pipeline: pipeline.name, stage: stage.name, value: input.value ?? 0, currency: input.currency, status };
      const changes = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { before: null, after: v }]));
      await this.audit(trx, caller, input.contactId ? [input.contactId] : [], 'opportunity.created', changes, { id, name: input.name }, now);
      await this.webhook(trx, caller, 'opportunity.created', id, now);
    });
    this.publish('created', caller, input.contactId ? [input.contactId] : [], id);
    return this.get(caller, id);
  }

  async update(caller: Caller, id: string, patch: OpportunityPatch, now: number): Promise<OpportunityJson> {
    const before = await this.row(caller, id);
    // A new pipeline without a stage: its first stage.
    const pipelineId = patch.pipelineId ?? before.pipeline_id;
    const movesStage = (patch.pipelineId !== undefined && patch.pipelineId !== before.pipeline_id) || (patch.stageId !== undefined && patch.stageId !== before.stage_id);
    const target = movesStage ? await this.pipelines.stageOf(caller, pipelineId, patch.stageId ?? (pipelineId === before.pipeline_id ? before.stage_id : undefined)) : null;
    if (patch.ownerId !== undefined && patch.ownerId !== before.owner_id) await this.checkOwner(caller, patch.ownerId);

    const changes: Changes = {};
    const set: Partial<OpportunitiesTable> = {};
    const field = <K extends keyof OpportunitiesTable>(name: string, column: K, value: OpportunitiesTable[K] | undefined) => {
      if (value === undefined || value === before[column]) return;
      changes[name] = { before: before[column], after: value };
      set[column] = value;
    };
    field('name', 'name', patch.name);
    field('value', 'value', patch.value);
    field('currency', 'currency', patch.currency);
    field('ownerId', 'owner_id', patch.ownerId);
    field('source', 'source', patch.source);
    field('closeDate', 'close_date', patch.closeDate);
    const status = patch.status ?? before.status;
    const statusChanged = status !== before.status;
    // A lost reason belongs to a lost opportunity: kept while lost, cleared when it is reopened or won.
    const lostReason = status === 'lost' ? (patch.lostReason !== undefined ? patch.lostReason : before.lost_reason) : null;
    if (lostReason !== before.lost_reason) {
      changes.lostReason = { before: before.lost_reason, after: lostReason };
      set.lost_reason = lostReason;
    }
    const stageChange = target && (target.stage.id !== before.stage_id || target.pipeline.id !== before.pipeline_id)
      ? { before: { pipeline: before.pipeline_name, stage: before.stage_name }, after: { pipeline: target.pipeline.name, stage: target.stage.name } }
      : null;
    if (!Object.keys(set).length && !statusChanged && !stageChange) return this.get(caller, id);

    const name = set.name ?? before.name;
    const { all } = await this.contactIds(this.db, id);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('opportunities')
        .set({
          ...set,
          ...(stageChange && { pipeline_id: target!.pipeline.id, stage_id: target!.stage.id }),
          ...(statusChanged && { status, status_changed_at: now }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      const opp = { id, name };
      if (Object.keys(changes).length) {
        await this.audit(trx, caller, all, 'opportunity.updated', changes, opp, now);
        await this.webhook(trx, caller, 'opportunity.updated', id, now, { changes });
      }
      if (stageChange) {
        await this.audit(trx, caller, all, 'opportunity.stage_changed', { stage: { before: before.stage_name, after: target!.stage.name }, pipeline: { before: before.pipeline_name, after: target!.pipeline.name } }, opp, now);
        await this.webhook(trx, caller, 'opportunity.stage_changed', id, now, { from: { pipelineId: before.pipeline_id, stageId: before.stage_id, stage: before.stage_name }, to: { pipelineId: target!.pipeline.id, stageId: target!.stage.id, stage: target!.stage.name } });
      }
      if (statusChanged) {
        await this.audit(trx, caller, all, 'opportunity.status_changed', { status: { before: before.status, after: status }, ...(status === 'lost' && lostReason && { lostReason: { before: null, after: lostReason } }) }, opp, now);
        await this.webhook(trx, caller, 'opportunity.status_changed', id, now, { from: before.status, to: status });
      }
    });
    this.publish('updated', caller, all, id);
    return this.get(caller, id);
  }

  /** Soft delete: gone from every list; the links stay (an unmerge may restore them) but show nowhere. */
  async remove(caller: Caller, id: string, now: number): Promise<OpportunityJson> {
    const before = await this.row(caller, id);
    if (!mayDelete(caller, before.created_by)) throw forbidden('Only the member who created an opportunity and members who manage pipelines can delete it.');
    const json = await this.get(caller, id);
    const { all } = await this.contactIds(this.db, id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('opportunities').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, all, 'opportunity.deleted', { name: { before: before.name, after: null } }, { id, name: before.name }, now);
      const actor = actorOf(caller);
      const { primary } = await this.contactIds(trx, id);
      await enqueueWebhook(trx, caller.workspace.id, 'opportunity.deleted', async () => ({
        type: 'opportunity.deleted',
        contactId: primary,
        at: now,
        data: { opportunityId: id, actor: { type: actor.type, id: actor.id }, opportunity: { id, name: before.name } },
      }));
    });
    this.publish('deleted', caller, all, id);
    return json;
  }

  /**
   * Links a contact (or changes its role). A new primary makes the previous one associated; the first contact
   * linked is the primary whatever was asked, so an opportunity with contacts always has one.
   */
  async link(caller: Caller, id: string, contactId: string, role: OpportunityRole, now: number): Promise<OpportunityJson> {
    const before = await this.row(caller, id);
    await this.linkable(caller, contactId);
    const links = await this.db.selectFrom('opportunity_contacts').select(['contact_id', 'role']).where('opportunity_id', '=', id).execute();
    const existing = links.find((l) => l.contact_id === contactId);
    const wanted: OpportunityRole = links.length === 0 || (existing && links.length === 1) ? 'primary' : role;
    if (existing?.role === wanted) return this.get(caller, id);
    await this.db.transaction().execute(async (trx) => {
      if (wanted === 'primary') await trx.updateTable('opportunity_contacts').set({ role: 'associated' }).where('opportunity_id', '=', id).where('role', '=', 'primary').execute();
      if (existing) await trx.updateTable('opportunity_contacts').set({ role: wanted }).where('opportunity_id', '=', id).where('contact_id', '=', contactId).execute();
      else await trx.insertInto('opportunity_contacts').values({ workspace_id: caller.workspace.id, opportunity_id: id, contact_id: contactId, role: wanted, created_at: now }).execute();
      await trx.updateTable('opportunities').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, [contactId], 'opportunity.linked', { role: { before: existing?.role ?? null, after: wanted } }, { id, name: before.name }, now);
      await this.webhook(trx, caller, 'opportunity.updated', id, now, { change: 'contact_linked', contactId, role: wanted });
    });
    this.publish('updated', caller, [...links.map((l) => l.contact_id), contactId], id);
    return this.get(caller, id);
  }

  /** Unlinks a contact (the opportunity stays); when it was the primary, the earliest linked other becomes primary. */
  async unlink(caller: Caller, id: string, contactId: string, now: number): Promise<OpportunityJson> {
    const before = await this.row(caller, id);
    await getVisibleContact(this.db, caller, contactId);
    const links = await this.db.selectFrom('opportunity_contacts').select(['contact_id', 'role']).where('opportunity_id', '=', id).orderBy('created_at').orderBy('contact_id').execute();
    const existing = links.find((l) => l.contact_id === contactId);
    if (!existing) throw notFound('Link');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('opportunity_contacts').where('opportunity_id', '=', id).where('contact_id', '=', contactId).execute();
      const next = links.find((l) => l.contact_id !== contactId);
      if (existing.role === 'primary' && next) await trx.updateTable('opportunity_contacts').set({ role: 'primary' }).where('opportunity_id', '=', id).where('contact_id', '=', next.contact_id).execute();
      await trx.updateTable('opportunities').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, [contactId], 'opportunity.unlinked', { role: { before: existing.role, after: null } }, { id, name: before.name }, now);
      await this.webhook(trx, caller, 'opportunity.updated', id, now, { change: 'contact_unlinked', contactId });
    });
    this.publish('updated', caller, links.map((l) => l.contact_id), id);
    return this.get(caller, id);
  }

  /** An opportunity as webhooks carry it (inside the change's transaction), every linked contact included. */
  static async json(trx: Db, id: string): Promise<Omit<OpportunityJson, 'canDelete'> | null> {
    const o = new Opportunities(trx, undefined);
    const row = (await o.select(trx).where('o.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) return null;
    const api = { kind: 'api', workspace: { id: row.workspace_id } } as Caller;
    const [json] = await o.toJson([row], api, trx);
    const { canDelete: _c, ...rest } = json!;
    return rest;
  }
}
