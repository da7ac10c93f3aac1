import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Role, WorkspacesTable } from '../db/schema.js';
import { conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { issueApiKey } from './api-keys.js';

export interface NewWorkspace {
  name: string;
  origins?: string[];
  defaultRegion?: string;
  restoreDays?: number;
  organizationId?: string | null;
}

export interface WorkspaceJson {
  id: string;
  name: string;
  organizationId: string | null;
  defaultRegion: string;
  origins: string[];
  restoreDays: number;
  createdAt: number;
  /** Live (not deleted) contacts. */
  contacts: number;
}

export function workspaceJson(row: Selectable<WorkspacesTable>): WorkspaceJson {
  return {
    id: row.id,
    name: row.name,
    organizationId: row.organization_id,
    defaultRegion: row.default_region,
    origins: JSON.parse(row.allowed_origins) as string[],
    restoreDays: row.restore_days,
    createdAt: row.created_at,
    contacts: row.live_contacts,
  };
}

async function assertOrganization(db: Db, organizationId: string | null | undefined) {
  if (!organizationId) return;
  const org = await db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw notFound('Organization');
}

/** Creates a workspace and its first secret key. The key is returned once; only its hash is stored. */
export async function createWorkspace(db: Db, input: NewWorkspace, now: number) {
  await assertOrganization(db, input.organizationId);
  const workspaceId = newId('ws_');
  const { secretKey, key } = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('workspaces')
      .values({
        id: workspaceId,
        name: input.name,
        default_region: input.defaultRegion ?? 'US',
        allowed_origins: JSON.stringify([...new Set(input.origins ?? [])]),
        restore_days: input.restoreDays ?? 30,
        created_at: now,
        organization_id: input.organizationId ?? null,
        deleted_at: null,
      })
      .execute();
    return issueApiKey(trx, workspaceId, 'Secret key', now);
  });
  return { workspaceId, secretKey, keyId: key.id };
}

/** A workspace that exists and is not deleted, or 404. */
export async function getWorkspace(db: Db, id: string): Promise<WorkspaceJson> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('Workspace');
  return workspaceJson(row);
}

/** Workspaces in creation order (ids sort by time), keyset-paged after `after`. */
export async function listWorkspaces(db: Db, opts: { organizationId?: string; after?: string; limit: number }) {
  let query = db.selectFrom('workspaces').selectAll().where('deleted_at', 'is', null).orderBy('id').limit(opts.limit + 1);
  if (opts.organizationId) query = query.where('organization_id', '=', opts.organizationId);
  if (opts.after) query = query.where('id', '>', opts.after);
  const rows = await query.execute();
  const more = rows.length > opts.limit;
  const items = rows.slice(0, opts.limit).map(workspaceJson);
  return { items, nextCursor: more ? items[items.length - 1]!.id : null };
}

export interface WorkspaceChange {
  name?: string;
  defaultRegion?: string;
  restoreDays?: number;
  origins?: string[];
  organizationId?: string | null;
}

/** Applies a change; returns the workspace before and after (the admin audit records the difference). */
export async function updateWorkspace(db: Db, id: string, change: WorkspaceChange) {
  const before = await getWorkspace(db, id);
  if (change.organizationId !== undefined) await assertOrganization(db, change.organizationId);
  const set: Updateable<WorkspacesTable> = {};
  if (change.name !== undefined) set.name = change.name;
  if (change.defaultRegion !== undefined) set.default_region = change.defaultRegion;
  if (change.restoreDays !== undefined) set.restore_days = change.restoreDays;
  if (change.origins !== undefined) set.allowed_origins = JSON.stringify([...new Set(change.origins)]);
  if (change.organizationId !== undefined) set.organization_id = change.organizationId;
  if (Object.keys(set).length) await db.updateTable('workspaces').set(set).where('id', '=', id).execute();
  return { before, after: await getWorkspace(db, id) };
}

/** Adds or removes one allowed origin; answers the workspace after. */
export async function changeOrigin(db: Db, id: string, origin: string, op: 'add' | 'remove') {
  const ws = await getWorkspace(db, id);
  const has = ws.origins.includes(origin);
  if (op === 'remove' && !has) throw notFound(`Origin ${origin} on this workspace`);
  if (op === 'add' && has) return { changed: false, workspace: ws };
  const origins = op === 'add' ? [...ws.origins, origin] : ws.origins.filter((o) => o !== origin);
  return { changed: true, workspace: (await updateWorkspace(db, id, { origins })).after };
}

/**
 * Deleting a workspace takes effect at once — its keys are revoked and its tokens refused — and its data goes in
 * the background (purgeDeletedWorkspaces), so a workspace of a million contacts does not hold one request open.
 */
export async function deleteWorkspace(db: Db, id: string, now: number) {
  const ws = await getWorkspace(db, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('workspaces').set({ deleted_at: now }).where('id', '=', id).execute();
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('workspace_id', '=', id).where('revoked_at', 'is', null).execute();
  });
  return ws;
}

/**
 * Removes the data of deleted workspaces: contacts in batches (their emails, phones, tags, documents… cascade),
 * then every other table that has a `workspace_id` column, then the workspace row. Tables are found by
 * introspection, so a table added later is covered without touching this. Answers the workspaces finished.
 */
export async function purgeDeletedWorkspaces(db: Db, opts: { batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 2_000;
  const doomed = await db.selectFrom('workspaces').select('id').where('deleted_at', 'is not', null).execute();
  if (!doomed.length) return 0;
  const tables = (await db.introspection.getTables())
    .filter((t) => !t.isView && t.columns.some((c) => c.name === 'workspace_id') && t.name !== 'workspaces' && t.name !== 'contacts')
    .map((t) => t.name as 'members');
  for (const { id } of doomed) {
    for (;;) {
      const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', id).limit(batch).execute()).map((r) => r.id);
      if (!ids.length) break;
      await db.deleteFrom('contacts').where('id', 'in', ids).execute();
    }
    await db.transaction().execute(async (trx) => {
      for (const table of tables) await trx.deleteFrom(table).where('workspace_id', '=', id).execute();
      await trx.deleteFrom('workspaces').where('id', '=', id).execute();
    });
  }
  return doomed.length;
}

/** Adds (or updates, by external id) a member; the same upsert the sessions endpoint does. */
export async function upsertMember(
  db: Db,
  workspaceId: string,
  m: { externalId: string; name: string; email: string; role: Role; restrictToAssigned?: boolean },
  now: number,
) {
  const values = { name: m.name, email: m.email.toLowerCase(), role: m.role, restrict_to_assigned: m.restrictToAssigned ? 1 : 0, updated_at: now };
  const row = await db
    .insertInto('members')
    .values({ id: newId('mb_'), workspace_id: workspaceId, external_id: m.externalId, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doUpdateSet(values))
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An organization can be deleted only once it owns no workspace. */
export async function assertNoWorkspaces(db: Db, organizationId: string) {
  const ws = await db.selectFrom('workspaces').select('id').where('organization_id', '=', organizationId).where('deleted_at', 'is', null).executeTakeFirst();
  if (ws) throw conflict('The organization still owns workspaces; move or delete them first.', { workspaceId: ws.id });
}
