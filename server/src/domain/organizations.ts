import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { OrganizationsTable } from '../db/schema.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { assertNoWorkspaces } from './workspaces.js';

/** An agency or parent company that owns several workspaces. */
export interface OrganizationJson {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Its live workspaces. */
  workspaces: number;
}

type Row = Selectable<OrganizationsTable> & { workspaces: number | string | bigint };

const json = (row: Row): OrganizationJson => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  workspaces: Number(row.workspaces),
});

const withCounts = (db: Db) =>
  db
    .selectFrom('organizations as o')
    .selectAll('o')
    .select((eb) =>
      eb
        .selectFrom('workspaces as w')
        .select((w) => w.fn.countAll<number>().as('n'))
        .whereRef('w.organization_id', '=', 'o.id')
        .where('w.deleted_at', 'is', null)
        .as('workspaces'),
    );

export async function createOrganization(db: Db, name: string, now: number): Promise<OrganizationJson> {
  const row = { id: newId('org_'), name, created_at: now, updated_at: now };
  await db.insertInto('organizations').values(row).execute();
  return json({ ...row, workspaces: 0 });
}

export async function getOrganization(db: Db, id: string): Promise<OrganizationJson> {
  const row = await withCounts(db).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Organization');
  return json(row as Row);
}

export async function listOrganizations(db: Db, opts: { after?: string; limit: number }) {
  let query = withCounts(db).orderBy('o.id').limit(opts.limit + 1);
  if (opts.after) query = query.where('o.id', '>', opts.after);
  const rows = (await query.execute()) as Row[];
  const items = rows.slice(0, opts.limit).map(json);
  return { items, nextCursor: rows.length > opts.limit ? items[items.length - 1]!.id : null };
}

export async function renameOrganization(db: Db, id: string, name: string, now: number) {
  const before = await getOrganization(db, id);
  await db.updateTable('organizations').set({ name, updated_at: now }).where('id', '=', id).execute();
  return { before, after: { ...before, name, updatedAt: now } };
}

/** Refused (409) while the organization owns live workspaces; deleted workspaces awaiting purge let go of it. */
export async function deleteOrganization(db: Db, id: string) {
  const org = await getOrganization(db, id);
  await assertNoWorkspaces(db, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('workspaces').set({ organization_id: null }).where('organization_id', '=', id).execute();
    await trx.deleteFrom('organizations').where('id', '=', id).execute();
  });
  return org;
}
