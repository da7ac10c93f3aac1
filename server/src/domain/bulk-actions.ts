// Bulk actions over many contacts, one chunk per transaction: add/remove tags, assign owner or team, delete, restore.
// Each contact that changes gets its own audit event; contacts that cannot be changed are reported, not fatal.
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Caller } from '../http/env.js';
import { invalidField } from '../http/errors.js';
import { writeAudit, type Changes } from './audit.js';
import type { JobProgress } from './bulk-jobs.js';
import { actorOf, ensureTags, nextVersion, visibleTo } from './contacts.js';
import type { ContactEvent } from './events.js';
import type { Permission } from './permissions.js';
import { checkTeam } from './teams.js';

export const BULK_ACTIONS = ['add_tags', 'remove_tags', 'assign_owner', 'assign_team', 'delete', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const bulkParamsSchema = z
  .object({
    tags: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
    ownerId: z.string().max(64).nullable().optional(),
    teamId: z.string().max(64).nullable().optional(),
  })
  .strict();
export type BulkParams = z.output<typeof bulkParamsSchema>;

/** What each action needs beyond 'contacts.bulk'. */
export const ACTION_PERMISSION: Record<BulkAction, Permission> = {
  add_tags: 'contacts.edit',
  remove_tags: 'contacts.edit',
  assign_owner: 'contacts.edit',
  assign_team: 'contacts.edit',
  delete: 'contacts.delete',
  restore: 'contacts.restore',
};

export interface PreparedAction {
  action: BulkAction;
  tagIds: string[];
  tagNames: string[];
  ownerId: string | null;
  teamId: string | null;
}

/** Checks params once, before the job starts (422 names the bad param). */
export async function prepareAction(db: Db, caller: Caller, action: BulkAction, params: BulkParams, now: number): Promise<PreparedAction> {
  const prepared: PreparedAction = { action, tagIds: [], tagNames: [], ownerId: null, teamId: null };
  if (action === 'add_tags' || action === 'remove_tags') {
    if (!params.tags?.length) throw invalidField('params.tags', 'List the tags to add or remove.');
    const names = [...new Map(params.tags.map((t) => [t.toLowerCase(), t])).values()];
    if (action === 'add_tags') prepared.tagIds = await ensureTags(db, caller.workspace.id, names, now);
    else {
      const rows = await db.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', caller.workspace.id).where('name', 'in', names).execute();
      prepared.tagIds = rows.map((r) => r.id);
    }
    prepared.tagNames = names;
  }
  if (action === 'assign_owner') {
    if (params.ownerId === undefined) throw invalidField('params.ownerId', 'Give the new owner’s member id, or null to unassign.');
    if (params.ownerId !== null) {
      const member = await db.selectFrom('members').select('id').where('id', '=', params.ownerId).where('workspace_id', '=', caller.workspace.id).executeTakeFirst();
      if (!member) throw invalidField('params.ownerId', `No member with id ${params.ownerId} in this workspace.`);
    }
    prepared.ownerId = params.ownerId;
  }
  if (action === 'assign_team') {
    if (params.teamId === undefined) throw invalidField('params.teamId', 'Give the team id, or null to take the contacts out of their team.');
    if (params.teamId !== null) await checkTeam(db, caller.workspace.id, params.teamId, 'params.teamId');
    prepared.teamId = params.teamId;
  }
  return prepared;
}

async function tagsOf(trx: Db, ids: string[]) {
  const rows = await trx
    .selectFrom('contact_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['ct.contact_id', 't.name'])
    .where('ct.contact_id', 'in', ids)
    .orderBy('t.name')
    .execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.contact_id, [...(map.get(r.contact_id) ?? []), r.name]);
  return map;
}

/** What a chunk changed, for the event feed (published once the chunk committed). */
export interface ChunkChange {
  type: ContactEvent['type'];
  ids: string[];
  fields: string[];
}

const EVENT: Record<BulkAction, [ContactEvent['type'], string[]]> = {
  add_tags: ['contact.updated', ['tags']],
  remove_tags: ['contact.updated', ['tags']],
  assign_owner: ['contact.updated', ['ownerId']],
  assign_team: ['contact.updated', ['teamId']],
  delete: ['contact.deleted', ['deletedAt']],
  restore: ['contact.restored', ['deletedAt']],
};

/** Applies the action to one chunk of ids in one transaction and records per-id outcomes on the job. */
export async function applyChunk(db: Db, caller: Caller, p: PreparedAction, ids: string[], job: JobProgress, now: number): Promise<ChunkChange | null> {
  const ws = caller.workspace.id;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('contacts')
      .select(['id', 'owner_id', 'team_id', 'deleted_at', 'merged_into_id'])
      .where('contacts.id', 'in', ids)
      .where(visibleTo(caller))
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const targets: string[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) job.fail({ id, message: 'Contact not found.' });
      else if (row.merged_into_id) job.fail({ id, message: 'This contact was merged into another; unmerge to bring it back.' });
      else if (p.action === 'restore' && row.deleted_at === null) job.fail({ id, message: 'This contact is not deleted.' });
      else if (p.action !== 'restore' && row.deleted_at !== null) job.fail({ id, message: 'This contact is in the restore bin; restore it first.' });
      else targets.push(id);
    }
    if (!targets.length) return null;
    const audits: { id: string; action: string; changes: Changes }[] = [];
    const touch = async (changed: string[]) => {
      if (changed.length) await trx.updateTable('contacts').set({ updated_at: now, version: nextVersion }).where('id', 'in', changed).execute();
    };

    switch (p.action) {
      case 'add_tags':
      case 'remove_tags': {
        const before = await tagsOf(trx, targets);
        if (p.tagIds.length) {
          if (p.action === 'add_tags') {
            await trx
              .insertInto('contact_tags')
              .values(targets.flatMap((contact_id) => p.tagIds.map((tag_id) => ({ workspace_id: ws, contact_id, tag_id }))))
              .onConflict((oc) => oc.doNothing())
              .execute();
          } else {
            await trx.deleteFrom('contact_tags').where('contact_id', 'in', targets).where('tag_id', 'in', p.tagIds).execute();
          }
        }
        const after = await tagsOf(trx, targets);
        const changed = targets.filter((id) => JSON.stringify(before.get(id) ?? []) !== JSON.stringify(after.get(id) ?? []));
        await touch(changed);
        for (const id of changed) audits.push({ id, action: 'contact.updated', changes: { tags: { before: before.get(id) ?? [], after: after.get(id) ?? [] } } });
        break;
      }
      case 'assign_owner': {
        const changed = targets.filter((id) => byId.get(id)!.owner_id !== p.ownerId);
        if (changed.length) await trx.updateTable('contacts').set({ owner_id: p.ownerId, updated_at: now, version: nextVersion }).where('id', 'in', changed).execute();
        for (const id of changed) audits.push({ id, action: 'contact.updated', changes: { ownerId: { before: byId.get(id)!.owner_id, after: p.ownerId } } });
        break;
      }
      case 'assign_team': {
        const changed = targets.filter((id) => byId.get(id)!.team_id !== p.teamId);
        if (changed.length) await trx.updateTable('contacts').set({ team_id: p.teamId, updated_at: now, version: nextVersion }).where('id', 'in', changed).execute();
        for (const id of changed) audits.push({ id, action: 'contact.updated', changes: { teamId: { before: byId.get(id)!.team_id, after: p.teamId } } });
        break;
      }
      case 'delete': {
        await trx.updateTable('contacts').set({ deleted_at: now, updated_at: now, version: nextVersion }).where('id', 'in', targets).execute();
        for (const id of targets) audits.push({ id, action: 'contact.deleted', changes: { deletedAt: { before: null, after: now } } });
        break;
      }
      case 'restore': {
        await trx.updateTable('contacts').set({ deleted_at: null, updated_at: now, version: nextVersion }).where('id', 'in', targets).execute();
        for (const id of targets) audits.push({ id, action: 'contact.restored', changes: { deletedAt: { before: byId.get(id)!.deleted_at, after: null } } });
        break;
      }
    }
    for (const a of audits) {
      await writeAudit(trx, { workspaceId: ws, contactId: a.id, actor: actorOf(caller), action: a.action, changes: a.changes, context: { bulkJobId: job.id }, at: now });
    }
    job.ok(targets.length);
    job.bump('changed', audits.length);
    const [type, fields] = EVENT[p.action];
    return audits.length ? { type, ids: audits.map((a) => a.id), fields } : null;
  });
}
