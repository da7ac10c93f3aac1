// Teams of members (the table's "My team" inbox): create, rename, set members, delete, each audited; shared by the
// /teams routes and the CLI. A contact belongs to at most one team (contacts.team_id, migration 010).
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { TeamRow } from '../db/schema.js';
import { conflict, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { writeAudit, type Actor } from './audit.js';
import { nextVersion } from './contacts.js';

export interface TeamJson {
  id: string;
  name: string;
  /** Member ids, sorted. */
  memberIds: string[];
  createdAt: number;
  updatedAt: number;
}

export const MAX_TEAM_MEMBERS = 500;

async function toJson(db: Db, rows: TeamRow[]): Promise<TeamJson[]> {
  const ids = rows.map((r) => r.id);
  const members = ids.length ? await db.selectFrom('team_members').select(['team_id', 'member_id']).where('team_id', 'in', ids).orderBy('member_id').execute() : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    memberIds: members.filter((m) => m.team_id === r.id).map((m) => m.member_id),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function listTeams(db: Db, workspaceId: string): Promise<TeamJson[]> {
  return toJson(db, await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy(engineOf(db).text.caselessSort(sql.ref('name')).order).orderBy('id').execute());
}

async function teamRow(db: Db, workspaceId: string, id: string) {
  const row = await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Team');
  return row;
}

export async function getTeam(db: Db, workspaceId: string, id: string): Promise<TeamJson> {
  return (await toJson(db, [await teamRow(db, workspaceId, id)]))[0]!;
}

/** The teams a member belongs to (the "mine" of the team filter). */
export async function teamIdsOf(db: Db, memberId: string): Promise<string[]> {
  return (await db.selectFrom('team_members').select('team_id').where('member_id', '=', memberId).orderBy('team_id').execute()).map((r) => r.team_id);
}

/** 422 at `teamId` unless the team exists in the workspace. */
export async function checkTeam(db: Db, workspaceId: string, teamId: string, field = 'teamId') {
  const row = await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst();
  if (!row) throw invalidField(field, `No team with id ${teamId} in this workspace.`);
}

async function checkName(db: Db, workspaceId: string, name: string, except?: string) {
  let q = db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where(engineOf(db).text.equalsCaseless(sql.ref('name'), name));
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict(`A team named "${name}" already exists.`, { field: 'name' });
}

/** Member ids, deduplicated; 422 at `memberIds[i]` for one that is not in the workspace. */
async function checkMembers(db: Db, workspaceId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const found = new Set((await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute()).map((m) => m.id));
  const bad = ids.findIndex((id) => !found.has(id));
  if (bad >= 0) throw invalidField(`memberIds[${bad}]`, `No member with id ${ids[bad]} in this workspace.`);
  return unique.sort();
}

async function setMembers(trx: Db, workspaceId: string, teamId: string, memberIds: string[]) {
  await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (memberIds.length) await trx.insertInto('team_members').values(memberIds.map((member_id) => ({ workspace_id: workspaceId, team_id: teamId, member_id }))).execute();
}

export async function createTeam(db: Db, workspaceId: string, actor: Actor, input: { name: string; memberIds?: string[] }, now: number): Promise<TeamJson> {
  const id = newId('tm_');
  await db.transaction().execute(async (trx) => {
    await checkName(trx, workspaceId, input.name);
    const memberIds = await checkMembers(trx, workspaceId, input.memberIds ?? []);
    await trx.insertInto('teams').values({ id, workspace_id: workspaceId, name: input.name, created_at: now, updated_at: now }).execute();
    await setMembers(trx, workspaceId, id, memberIds);
    await writeAudit(trx, { workspaceId, contactId: null, actor, action: 'team.created', changes: { team: { before: null, after: { id, name: input.name, memberIds } } }, at: now });
  });
  return getTeam(db, workspaceId, id);
}

export async function updateTeam(db: Db, workspaceId: string, actor: Actor, id: string, input: { name?: string; memberIds?: string[] }, now: number): Promise<TeamJson> {
  await db.transaction().execute(async (trx) => {
    const before = await getTeam(trx, workspaceId, id);
    if (input.name !== undefined) await checkName(trx, workspaceId, input.name, id);
    const memberIds = input.memberIds && (await checkMembers(trx, workspaceId, input.memberIds));
    await trx.updateTable('teams').set({ ...(input.name !== undefined && { name: input.name }), updated_at: now }).where('id', '=', id).execute();
    if (memberIds) await setMembers(trx, workspaceId, id, memberIds);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (input.name !== undefined && input.name !== before.name) changes.name = { before: before.name, after: input.name };
    if (memberIds && memberIds.join() !== before.memberIds.join()) changes.memberIds = { before: before.memberIds, after: memberIds };
    // Which team (its id, unchanged) and each field that changed.
    if (Object.keys(changes).length) await writeAudit(trx, { workspaceId, contactId: null, actor, action: 'team.updated', changes: { teamId: { before: id, after: id }, ...changes }, at: now });
  });
  return getTeam(db, workspaceId, id);
}

/** Adds or removes one member (the CLI's add-member / remove-member). */
export async function changeMembership(db: Db, workspaceId: string, actor: Actor, id: string, memberId: string, add: boolean, now: number): Promise<TeamJson> {
  const team = await getTeam(db, workspaceId, id);
  const memberIds = add ? [...team.memberIds, memberId] : team.memberIds.filter((m) => m !== memberId);
  return updateTeam(db, workspaceId, actor, id, { memberIds }, now);
}

/** Deletes a team; its contacts keep no team (the foreign key sets it to null). Answers how many contacts it had. */
export async function deleteTeam(db: Db, workspaceId: string, actor: Actor, id: string, now: number): Promise<{ deleted: true; contacts: number; contactIds: string[] }> {
  return db.transaction().execute(async (trx) => {
    const team = await getTeam(trx, workspaceId, id);
    // Its contacts are left without a team; as every change of a contact, that bumps their versions (readers reload).
    const contactIds = (await trx.updateTable('contacts').set({ team_id: null, updated_at: now, version: nextVersion }).where('workspace_id', '=', workspaceId).where('team_id', '=', id).returning('id').execute()).map((r) => r.id);
    await trx.deleteFrom('teams').where('id', '=', id).execute();
    await writeAudit(trx, { workspaceId, contactId: null, actor, action: 'team.deleted', changes: { team: { before: { id, name: team.name, memberIds: team.memberIds, contacts: contactIds.length }, after: null } }, at: now });
    return { deleted: true as const, contacts: contactIds.length, contactIds };
  });
}

/** A member by id, or by the host's external id (for the CLI). */
export async function resolveMember(db: Db, workspaceId: string, idOrExternal: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('members')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('id', '=', idOrExternal), eb('external_id', '=', idOrExternal)]))
    .orderBy(sql`id = ${idOrExternal}`, 'desc')
    .executeTakeFirst();
  return row?.id;
}
