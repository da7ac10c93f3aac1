// Merging duplicate contacts into one survivor, with an exact undo: before changing anything, the merge stores a
// snapshot of every row it will touch (contacts, their owned parts, and which history rows it re-points).
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { ContactRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { conflict, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { diff, writeAudit } from './audit.js';
import { MAX_EMAILS, MAX_PHONES } from './contact-rules.js';
import type { AssociationsTable } from '../db/schema-associations.js';
import { linksOf, mergeLinks, restoreLinks } from './associations/merge-links.js';
import { MOVED_TABLES, OWNED_TABLES, type MovedTable, type OwnedTable } from './contact-tables.js';
import { actorOf, loadContacts, nextVersion, refreshDisplayName, UNTRACKED, visibleTo, type ContactJson } from './contacts.js';

/** Scalar fields a merge can take from any of the merged contacts (`pick`); custom fields are `customFields.<key>`. */
export const PICKABLE = ['firstName', 'lastName', 'companyName', 'address', 'website', 'avatarUrl', 'ownerId', 'source'] as const;
const COLUMN: Record<(typeof PICKABLE)[number], keyof ContactRow> = {
  firstName: 'first_name',
  lastName: 'last_name',
  companyName: 'company_name',
  address: 'address',
  website: 'website',
  avatarUrl: 'avatar_url',
  ownerId: 'owner_id',
  source: 'source',
};

export const MAX_MERGED = 20;
export const mergeSchema = z
  .object({
    survivorId: z.string().min(1).max(64),
    mergedIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_MERGED),
    /** field → id of the contact whose value to keep; by default the survivor's, else the first non-empty. */
    pick: z.record(z.string().max(120), z.string().max(64)).default({}),
  })
  .strict();
export type MergeInput = z.output<typeof mergeSchema>;

type Row = Record<string, unknown>;
export interface MergeSnapshot {
  contacts: ContactRow[];
  owned: Record<OwnedTable, Row[]>;
  /** table → original contact id → ids of the rows that were re-pointed to the survivor. */
  moved: Record<MovedTable, Record<string, string[]>>;
  /** Every association touching the contacts (absent in merges made before associations existed). */
  associations?: AssociationsTable[];
}

/**
 * Columns unmerge does not restore: derived ones (generated sort keys; the export cells triggers rebuild when the
 * parts come back), and the version, which only grows.
 */
const NOT_RESTORED = ['name_sort', 'last_interaction_sort', 'last_accessed_sort', 'cells', 'version'];
const anyDb = (db: Db) => db as unknown as Kysely<any>;

async function takeSnapshot(trx: Db, contacts: ContactRow[], mergedIds: string[]): Promise<MergeSnapshot> {
  const all = contacts.map((c) => c.id);
  const owned = {} as MergeSnapshot['owned'];
  for (const table of OWNED_TABLES) owned[table] = await anyDb(trx).selectFrom(table).selectAll().where('contact_id', 'in', all).execute();
  const moved = {} as MergeSnapshot['moved'];
  for (const table of MOVED_TABLES) {
    const rows = await anyDb(trx).selectFrom(table).select(['id', 'contact_id']).where('contact_id', 'in', mergedIds).execute();
    moved[table] = {};
    for (const r of rows as { id: string; contact_id: string }[]) (moved[table][r.contact_id] ??= []).push(r.id);
  }
  return { contacts, owned, moved, associations: await linksOf(trx, all) };
}

class Rollback extends Error {}

/**
 * The merge itself, inside a transaction. Returns the survivor as it would look. `record`: keep the merge (to undo it)
 * and write its audit events; `replay`: keep it without audit (a merge redone after one contact was split off);
 * `preview`: neither.
 */
async function applyMerge(trx: Db, caller: Caller, input: MergeInput, now: number, mode: 'record' | 'replay' | 'preview') {
  const ws = caller.workspace.id;
  const mergedIds = [...new Set(input.mergedIds)];
  if (mergedIds.includes(input.survivorId)) throw invalidField('mergedIds', 'The survivor cannot also be merged into itself.');
  const order = [input.survivorId, ...mergedIds];
  // Merges and unmerges of the same contacts wait for each other (PostgreSQL runs them in parallel), so the
  // second one sees the first's result: a contact is never absorbed into two survivors.
  await engineOf(trx).locks.hold(trx, order.map((id) => `merge:${id}`));
  const found = await trx.selectFrom('contacts').selectAll().where('contacts.id', 'in', order).where(visibleTo(caller)).execute();
  const byId = new Map(found.map((r) => [r.id, r]));
  for (const [i, id] of order.entries()) {
    const row = byId.get(id);
    const field = i === 0 ? 'survivorId' : `mergedIds[${i - 1}]`;
    if (!row) throw invalidField(field, `No contact ${id}.`);
    if (row.deleted_at !== null || row.merged_into_id !== null) throw invalidField(field, `Contact ${id} is deleted or already merged.`);
  }
  const rows = order.map((id) => byId.get(id)!);
  for (const [field, id] of Object.entries(input.pick)) {
    if (!order.includes(id)) throw invalidField(`pick.${field}`, `${id} is not one of the contacts being merged.`);
    if (!(PICKABLE as readonly string[]).includes(field) && !field.startsWith('customFields.')) throw invalidField(`pick.${field}`, `"${field}" cannot be picked.`);
  }
  const [beforeSurvivor] = await loadContacts(trx, ws, [input.survivorId]);
  const snapshot = await takeSnapshot(trx, rows, mergedIds);
  const survivor = input.survivorId;

  // Scalars: the picked contact's value, else the survivor's, else the first merged contact that has one.
  const scalars: Partial<ContactRow> = {};
  for (const field of PICKABLE) {
    const column = COLUMN[field];
    const from = input.pick[field] ? byId.get(input.pick[field]!)! : rows.find((r) => r[column] !== null);
    scalars[column] = (from?.[column] ?? null) as never;
    // An uploaded picture's blob goes with its URL (blob GC spares the pictures contacts show).
    if (column === 'avatar_url') scalars.avatar_key = from?.avatar_key ?? null;
  }
  const latest = rows.reduce((a, b) => ((b.last_interaction_at ?? -1) > (a.last_interaction_at ?? -1) ? b : a));
  const oldest = rows.reduce((a, b) => (b.created_at < a.created_at ? b : a));
  await trx
    .updateTable('contacts')
    .set({
      ...scalars,
      last_interaction_at: latest.last_interaction_at,
      last_channel: latest.last_channel,
      last_incoming_at: Math.max(...rows.map((r) => r.last_incoming_at ?? -1)) >= 0 ? Math.max(...rows.map((r) => r.last_incoming_at ?? -1)) : null,
      attribution_first: oldest.attribution_first ?? rows.find((r) => r.attribution_first)?.attribution_first ?? null,
      attribution_latest: rows.find((r) => r.attribution_latest)?.attribution_latest ?? null,
      created_at: oldest.created_at,
      // Share-link viewing adds up (unmerge restores each contact's own counters from the snapshot).
      last_accessed_at: Math.max(...rows.map((r) => r.last_accessed_at ?? -1)) >= 0 ? Math.max(...rows.map((r) => r.last_accessed_at ?? -1)) : null,
      access_count: rows.reduce((n, r) => n + (r.access_count ?? 0), 0),
      updated_at: now,
      version: nextVersion,
    })
    .where('id', '=', survivor)
    .execute();

  await mergeContactPoints(trx, 'contact_emails', survivor, mergedIds, MAX_EMAILS, 'emails');
  await mergeContactPoints(trx, 'contact_phones', survivor, mergedIds, MAX_PHONES, 'phones');
  for (const table of ['contact_tags', 'contact_followers', 'contact_dnd', 'portal_grants'] as const) {
    // Sets: the survivor gains what it lacks; the absorbed rows go.
    const keyColumn = { contact_tags: 'tag_id', contact_followers: 'member_id', contact_dnd: 'channel', portal_grants: 'item_id' }[table];
    const moving = (await anyDb(trx).selectFrom(table).selectAll().where('contact_id', 'in', mergedIds).execute()) as Row[];
    await anyDb(trx).deleteFrom(table).where('contact_id', 'in', mergedIds).execute();
    for (const row of moving) {
      await anyDb(trx).insertInto(table).values({ ...row, contact_id: survivor }).onConflict((oc) => oc.columns(['contact_id', keyColumn]).doNothing()).execute();
    }
  }
  await mergeFieldValues(trx, survivor, order, input.pick);
  // Handles are unique per workspace and channel, so they simply move.
  await trx.updateTable('contact_handles').set({ contact_id: survivor }).where('contact_id', 'in', mergedIds).execute();
  await mergeShareLinkViewers(trx, survivor, mergedIds);
  await mergeOpportunityLinks(trx, survivor, mergedIds);
  await mergeLinks(trx, survivor, mergedIds, snapshot.associations ?? []);
  for (const table of MOVED_TABLES) await anyDb(trx).updateTable(table).set({ contact_id: survivor }).where('contact_id', 'in', mergedIds).execute();
  await trx.updateTable('contacts').set({ deleted_at: now, merged_into_id: survivor, updated_at: now, version: nextVersion }).where('id', 'in', mergedIds).execute();
  await refreshDisplayName(trx, survivor);
  const [after] = await loadContacts(trx, ws, [survivor]);
  if (mode === 'preview') return { survivor: after!, mergeId: null };

  const mergeId = newId('mg_');
  await trx
    .insertInto('merges')
    .values({ id: mergeId, workspace_id: ws, survivor_id: survivor, merged_ids: JSON.stringify(mergedIds), snapshot: JSON.stringify(snapshot), pick: JSON.stringify(input.pick), actor_id: actorOf(caller).id, created_at: now, undone_at: null })
    .execute();
  if (mode === 'replay') return { survivor: after!, mergeId };
  const actor = actorOf(caller);
  const changes = diff(beforeSurvivor as unknown as Row, after as unknown as Row, UNTRACKED);
  const merged = mergedIds.map((id) => ({ id, name: byId.get(id)!.display_name }));
  await writeAudit(trx, { workspaceId: ws, contactId: survivor, actor, action: 'contact.merged', changes, context: { mergeId, merged }, at: now });
  for (const id of mergedIds) {
    await writeAudit(trx, { workspaceId: ws, contactId: id, actor, action: 'contact.merged_into', changes: {}, context: { mergeId, survivor: { id: survivor, name: after!.name } }, at: now });
  }
  return { survivor: after!, mergeId };
}

/** Emails / phones: survivor's first, then the others' in order, duplicates dropped, one primary, labels unique. */
async function mergeContactPoints(trx: Db, table: 'contact_emails' | 'contact_phones', survivor: string, mergedIds: string[], max: number, field: string) {
  const rows = await trx.selectFrom(table).selectAll().where('contact_id', 'in', [survivor, ...mergedIds]).execute();
  const rank = (id: string) => (id === survivor ? -1 : mergedIds.indexOf(id));
  rows.sort((a, b) => rank(a.contact_id) - rank(b.contact_id) || a.position - b.position);
  const keep: typeof rows = [];
  const seen = new Set<string>();
  const labels = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.value)) {
      await trx.deleteFrom(table).where('id', '=', row.id).execute();
      continue;
    }
    seen.add(row.value);
    keep.push(row);
  }
  if (keep.length > max) throw invalidField(field, `Together these contacts have ${keep.length} ${field}; a contact can have at most ${max}. Remove some first.`);
  const hasPrimary = keep.some((r) => r.contact_id === survivor && r.is_primary === 1);
  for (const [position, row] of keep.entries()) {
    // Phone labels are used once per contact: a clashing label on a moved number is dropped.
    const label = table === 'contact_phones' && row.label && labels.has(row.label) ? null : row.label;
    if (label) labels.add(label);
    const primary = hasPrimary ? row.contact_id === survivor && row.is_primary === 1 : position === 0;
    await trx.updateTable(table).set({ contact_id: survivor, position, label, is_primary: primary ? 1 : 0 }).where('id', '=', row.id).execute();
  }
}

/** Custom values: the picked contact's, else the survivor's, else the first merged contact that has one. */
async function mergeFieldValues(trx: Db, survivor: string, order: string[], pick: Record<string, string>) {
  const values = await trx
    .selectFrom('contact_field_values as v')
    .innerJoin('custom_fields as f', 'f.id', 'v.field_id')
    .selectAll('v')
    .select('f.key')
    .where('v.contact_id', 'in', order)
    .execute();
  const byField = new Map<string, typeof values>();
  for (const v of values) byField.set(v.field_id, [...(byField.get(v.field_id) ?? []), v]);
  for (const list of byField.values()) {
    const picked = pick[`customFields.${list[0]!.key}`];
    const chosen = list.find((v) => v.contact_id === picked) ?? order.map((id) => list.find((v) => v.contact_id === id)).find(Boolean);
    await trx.deleteFrom('contact_field_values').where('field_id', '=', list[0]!.field_id).where('contact_id', 'in', order).execute();
    if (chosen) {
      await trx
        .insertInto('contact_field_values')
        .values({ workspace_id: chosen.workspace_id, contact_id: survivor, field_id: chosen.field_id, value_json: chosen.value_json, value_text: chosen.value_text, value_num: chosen.value_num })
        .execute();
    }
  }
}

/** One row per (link, contact): the survivor's row for a link absorbs the others' first/last seen and view counts. */
async function mergeShareLinkViewers(trx: Db, survivor: string, mergedIds: string[]) {
  const { least, greatest } = engineOf(trx).text;
  const moving = await trx.selectFrom('share_link_contacts').selectAll().where('contact_id', 'in', mergedIds).execute();
  await trx.deleteFrom('share_link_contacts').where('contact_id', 'in', mergedIds).execute();
  for (const row of moving) {
    await trx
      .insertInto('share_link_contacts')
      .values({ ...row, contact_id: survivor })
      .onConflict((oc) =>
        oc.columns(['link_id', 'contact_id']).doUpdateSet({
          first_at: least(sql.ref('share_link_contacts.first_at'), sql.ref('excluded.first_at')),
          last_at: greatest(sql.ref('share_link_contacts.last_at'), sql.ref('excluded.last_at')),
          view_count: sql<number>`share_link_contacts.view_count + excluded.view_count`,
        }),
      )
      .execute();
  }
}

/**
 * Opportunity links: the survivor gains the absorbed contacts' links; where it was already linked to the same
 * opportunity it keeps one link, primary when either was (an opportunity keeps its one primary contact).
 */
async function mergeOpportunityLinks(trx: Db, survivor: string, mergedIds: string[]) {
  const moving = await trx.selectFrom('opportunity_contacts').selectAll().where('contact_id', 'in', mergedIds).orderBy('created_at').execute();
  await trx.deleteFrom('opportunity_contacts').where('contact_id', 'in', mergedIds).execute();
  for (const row of moving) {
    const own = await trx.selectFrom('opportunity_contacts').select('role').where('opportunity_id', '=', row.opportunity_id).where('contact_id', '=', survivor).executeTakeFirst();
    if (!own) await trx.insertInto('opportunity_contacts').values({ ...row, contact_id: survivor }).execute();
    else if (row.role === 'primary') await trx.updateTable('opportunity_contacts').set({ role: 'primary' }).where('opportunity_id', '=', row.opportunity_id).where('contact_id', '=', survivor).execute();
  }
}

export async function mergeContacts(db: Db, caller: Caller, input: MergeInput, now: number) {
  const { survivor, mergeId } = await db.transaction().execute((trx) => applyMerge(trx, caller, input, now, 'record'));
  return { mergeId: mergeId!, survivor };
}

/** Runs the real merge in a transaction that is always rolled back: the preview is exactly what merge would do. */
export async function previewMerge(db: Db, caller: Caller, input: MergeInput, now: number) {
  const ids = [input.survivorId, ...input.mergedIds];
  let result: ContactJson | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      result = (await applyMerge(trx, caller, input, now, 'preview')).survivor;
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  const contacts = await loadContacts(db, caller.workspace.id, ids);
  // A file field is not picked: the merged contacts' documents all move to the survivor, and the field with them.
  const files = new Set((await db.selectFrom('custom_fields').select('key').where('workspace_id', '=', caller.workspace.id).where('type', '=', 'file').execute()).map((f) => f.key));
  const keys = new Set(contacts.flatMap((c) => Object.keys(c.customFields).filter((k) => !files.has(k)).map((k) => `customFields.${k}`)));
  // Fields where the contacts disagree: what the merge UI should ask about.
  const conflicts = [...PICKABLE, ...keys].flatMap((field) => {
    const valueOf = (c: ContactJson): unknown => (field.startsWith('customFields.') ? c.customFields[field.slice(13)] : c[field as keyof ContactJson]) ?? null;
    const distinct = new Set(contacts.map((c) => JSON.stringify(valueOf(c))).filter((v) => v !== 'null'));
    return distinct.size > 1 ? [{ field, values: contacts.map((c) => ({ contactId: c.id, value: valueOf(c) })) }] : [];
  });
  return { result: result!, contacts, conflicts };
}

/**
 * Whether the caller could see every contact of a merge as it was before it (which is what an unmerge brings back):
 * visibleTo's rule (own or follow, for members restricted to assigned contacts) applied to the snapshot, since
 * merging moved the absorbed contacts' followers to the survivor.
 */
export function snapshotVisibleTo(caller: Caller, snapshot: MergeSnapshot): boolean {
  if (caller.kind !== 'member' || !caller.member.restrict_to_assigned) return true;
  const me = caller.member.id;
  const followed = new Set(snapshot.owned.contact_followers.filter((f) => f.member_id === me).map((f) => f.contact_id as string));
  return snapshot.contacts.every((c) => c.owner_id === me || followed.has(c.id));
}

export const unmergeSchema = z
  .object({
    /** The merged contacts to split off (default: all of them, which undoes the merge). */
    contactIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_MERGED).optional(),
  })
  .strict();
export type UnmergeInput = z.output<typeof unmergeSchema>;

export interface UnmergeResult {
  mergeId: string;
  /** The contacts split off, as restored. */
  restored: ContactJson[];
  /** The survivor as it is now. */
  survivor: ContactJson;
  /** When others stay merged into the survivor: the merge that now holds them (undo that one next). */
  remaining: { mergeId: string; mergedIds: string[] } | null;
}

/**
 * Splits merged contacts off a survivor. Every contact and row goes back exactly as the snapshot has them (history
 * rows return to their owners by id); when only some are split off, the merge of the others is then made again with
 * the same picks, as if those had never been merged.
 */
async function applyUnmerge(trx: Db, caller: Caller, mergeId: string, input: UnmergeInput, now: number): Promise<UnmergeResult> {
  const ws = caller.workspace.id;
  const merge = await trx.selectFrom('merges').selectAll().where('id', '=', mergeId).where('workspace_id', '=', ws).executeTakeFirst();
  if (!merge) throw notFound('Merge');
  await engineOf(trx).locks.hold(trx, [merge.survivor_id, ...(JSON.parse(merge.merged_ids) as string[])].map((id) => `merge:${id}`));
  const visible = await trx.selectFrom('contacts').select('id').where('id', '=', merge.survivor_id).where(visibleTo(caller)).executeTakeFirst();
  if (!visible) throw notFound('Merge');
  const snapshot = JSON.parse(merge.snapshot) as MergeSnapshot;
  // Every contact it would bring back (and answer with) must be one the caller may see.
  if (!snapshotVisibleTo(caller, snapshot)) throw notFound('Merge');
  if (merge.undone_at !== null) throw conflict('This merge was already undone.');
  const mergedIds = JSON.parse(merge.merged_ids) as string[];
  const split = [...new Set(input.contactIds ?? mergedIds)];
  split.forEach((id, i) => {
    if (!mergedIds.includes(id)) throw invalidField(`contactIds[${i}]`, `${id} was not merged in this merge.`);
  });
  const later = await trx.selectFrom('merges').select('id').where('survivor_id', '=', merge.survivor_id).where('undone_at', 'is', null).where('created_at', '>', merge.created_at).executeTakeFirst();
  if (later) throw conflict('Other contacts were merged into this one since; unmerge those first.', { mergeId: later.id });
  const current = await trx.selectFrom('contacts').select(['id', 'merged_into_id']).where('id', 'in', [merge.survivor_id, ...mergedIds]).execute();
  const survivorNow = current.find((c) => c.id === merge.survivor_id);
  if (!survivorNow || survivorNow.merged_into_id !== null) throw conflict('The survivor was itself merged since; undo that merge first.');
  if (current.some((c) => c.id !== merge.survivor_id && c.merged_into_id !== merge.survivor_id)) throw conflict('These contacts changed since the merge; it cannot be undone.');
  const all = snapshot.contacts.map((c) => c.id);

  for (const row of snapshot.contacts) {
    const columns = Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'id' && !NOT_RESTORED.includes(key)));
    await trx.updateTable('contacts').set({ ...columns, version: nextVersion }).where('id', '=', row.id).execute();
  }
  for (const table of OWNED_TABLES) {
    await anyDb(trx).deleteFrom(table).where('contact_id', 'in', all).execute();
    for (let i = 0; i < snapshot.owned[table].length; i += 200) {
      await anyDb(trx).insertInto(table).values(snapshot.owned[table].slice(i, i + 200)).execute();
    }
  }
  for (const table of MOVED_TABLES) {
    for (const [contactId, ids] of Object.entries(snapshot.moved[table])) {
      for (let i = 0; i < ids.length; i += 500) {
        await anyDb(trx).updateTable(table).set({ contact_id: contactId }).where('id', 'in', ids.slice(i, i + 500)).execute();
      }
    }
  }
  await restoreLinks(trx, snapshot.associations);
  await trx.updateTable('merges').set({ undone_at: now }).where('id', '=', mergeId).execute();
  const rest = mergedIds.filter((id) => !split.includes(id));
  let remaining: UnmergeResult['remaining'] = null;
  if (rest.length) {
    // Picks that named a contact now split off fall back to the default rule.
    const pick = Object.fromEntries(Object.entries(JSON.parse(merge.pick ?? '{}') as Record<string, string>).filter(([, id]) => !split.includes(id)));
    const again = await applyMerge(trx, caller, { survivorId: merge.survivor_id, mergedIds: rest, pick }, now, 'replay');
    remaining = { mergeId: again.mergeId!, mergedIds: rest };
  }
  const actor = actorOf(caller);
  const named = new Map(snapshot.contacts.map((c) => [c.id, { id: c.id, name: c.display_name }]));
  const context = { mergeId, survivor: named.get(merge.survivor_id)!, merged: split.map((id) => named.get(id)!), ...(remaining && { remainingMergeId: remaining.mergeId }) };
  for (const id of [merge.survivor_id, ...split]) {
    await writeAudit(trx, { workspaceId: ws, contactId: id, actor, action: 'contact.unmerged', changes: {}, context, at: now });
  }
  const [survivor, ...restored] = await loadContacts(trx, ws, [merge.survivor_id, ...split]);
  return { mergeId, survivor: survivor!, restored, remaining };
}

export function unmerge(db: Db, caller: Caller, mergeId: string, input: UnmergeInput, now: number): Promise<UnmergeResult> {
  return db.transaction().execute((trx) => applyUnmerge(trx, caller, mergeId, input, now));
}

/** Runs the real unmerge in a transaction that is always rolled back: the contacts exactly as unmerge would leave them. */
export async function previewUnmerge(db: Db, caller: Caller, mergeId: string, input: UnmergeInput, now: number): Promise<UnmergeResult> {
  let result: UnmergeResult | null = null;
  try {
    await db.transaction().execute(async (trx) => {
      result = await applyUnmerge(trx, caller, mergeId, input, now);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result!;
}
