// Associations through a merge and its undo. Merge: the absorbed contacts' links move to the survivor; a link
// between the survivor and an absorbed contact (or between two absorbed ones) would join the survivor to itself and
// goes; a link the survivor already has (same type and other side; a symmetric one in either order) goes too.
// Unmerge: the links the merge touched come back exactly as the snapshot holds them; links made since stay.
import type { Kysely } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { AssociationsTable } from '../../db/schema-associations.js';

type Row = AssociationsTable;

/** Every link touching these contacts, on either side (the merge snapshot keeps them). */
export async function linksOf(trx: Db, contactIds: string[]): Promise<Row[]> {
  return trx
    .selectFrom('associations')
    .selectAll()
    .where((eb) => eb.or([eb('contact_id', 'in', contactIds), eb.and([eb('target_kind', '=', 'contact'), eb('target_id', 'in', contactIds)])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function mergeLinks(trx: Db, survivor: string, mergedIds: string[], before: Row[]) {
  const merged = new Set(mergedIds);
  const moved = (id: string) => (merged.has(id) ? survivor : id);
  const symmetric = new Set(
    (await trx.selectFrom('association_types').select('id').where('target_kind', '=', 'contact').where('reverse_label', 'is', null).execute()).map((t) => t.id),
  );
  const kept = new Set<string>();
  const drop: string[] = [];
  const repoint: { id: string; contact_id: string; target_id: string }[] = [];
  // The survivor's own links first, so they are the ones kept when the same link also came from an absorbed contact.
  const ordered = [...before.filter((r) => !merged.has(r.contact_id) && !(r.target_kind === 'contact' && merged.has(r.target_id))), ...before.filter((r) => merged.has(r.contact_id) || (r.target_kind === 'contact' && merged.has(r.target_id)))];
  for (const r of ordered) {
    const from = moved(r.contact_id);
    const to = r.target_kind === 'contact' ? moved(r.target_id) : r.target_id;
    const key = (a: string, b: string) => `${r.type_id}|${a}|${r.target_kind}|${b}`;
    if (r.target_kind === 'contact' && from === to) {
      drop.push(r.id);
      continue;
    }
    const keys = symmetric.has(r.type_id) ? [key(from, to), key(to, from)] : [key(from, to)];
    if (keys.some((k) => kept.has(k))) {
      drop.push(r.id);
      continue;
    }
    kept.add(keys[0]!);
    if (from !== r.contact_id || to !== r.target_id) repoint.push({ id: r.id, contact_id: from, target_id: to });
  }
  if (drop.length) await trx.deleteFrom('associations').where('id', 'in', drop).execute();
  for (const r of repoint) await trx.updateTable('associations').set({ contact_id: r.contact_id, target_id: r.target_id }).where('id', '=', r.id).execute();
}

/** Puts the snapshot's links back as they were (the merge's changes to them undone); links made since are kept. */
export async function restoreLinks(trx: Db, snapshot: Row[] | undefined) {
  if (!snapshot?.length) return;
  const ids = snapshot.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('associations').where('id', 'in', ids.slice(i, i + 500)).execute();
  // Links whose type, company or record was deleted since the merge do not come back (their deletion removed them).
  const exists = async (table: 'association_types' | 'companies' | 'object_records', wanted: string[]) =>
    new Set(wanted.length ? (await trx.selectFrom(table).select('id').where('id', 'in', [...new Set(wanted)]).execute()).map((r) => r.id) : []);
  const types = await exists('association_types', snapshot.map((r) => r.type_id));
  const companies = await exists('companies', snapshot.filter((r) => r.target_kind === 'company').map((r) => r.target_id));
  const records = await exists('object_records', snapshot.filter((r) => r.target_kind === 'object').map((r) => r.target_id));
  const back = snapshot.filter((r) => types.has(r.type_id) && (r.target_kind === 'company' ? companies.has(r.target_id) : r.target_kind === 'object' ? records.has(r.target_id) : true));
  for (let i = 0; i < back.length; i += 200) {
    // A link made since the merge that equals a restored one stays in its place.
    await (trx as unknown as Kysely<any>).insertInto('associations').values(back.slice(i, i + 200)).onConflict((oc: any) => oc.columns(['type_id', 'contact_id', 'target_kind', 'target_id']).doNothing()).execute();
  }
}
