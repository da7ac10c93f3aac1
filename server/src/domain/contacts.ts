// The contact store: reads contacts as API JSON and applies creates, patches, deletes and restores,
// each checked against the rules and written to the audit log in one transaction.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { ContactUpdate, Database, DndChannel } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { conflict, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { diff, writeAudit, type Actor } from './audit.js';
import { DND_CHANNELS, type ContactCreateInput, type ContactPatchInput } from './contact-input.js';
import { checkFieldValue, displayName, normalizeEmails, normalizePhones, normalizeUrl } from './contact-rules.js';

export interface Address {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export interface Attribution {
  source?: string | null;
  medium?: string | null;
  campaign?: string | null;
  term?: string | null;
  content?: string | null;
  referrer?: string | null;
  url?: string | null;
  at?: number;
}

export interface ContactJson {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string;
  companyName: string | null;
  address: Address | null;
  website: string | null;
  avatarUrl: string | null;
  emails: { value: string; label: string | null; primary: boolean; verified: boolean }[];
  phones: { value: string; label: string | null; primary: boolean; verified: boolean }[];
  tags: string[];
  ownerId: string | null;
  followerIds: string[];
  customFields: Record<string, unknown>;
  dnd: Record<DndChannel, boolean>;
  source: string | null;
  attribution: { first: Attribution | null; latest: Attribution | null };
  lastInteractionAt: number | null;
  lastChannel: string | null;
  /** Last time this contact opened a share link (viewers); always present in server answers. */
  lastAccessedAt?: number | null;
  /** Share-link viewing sessions so far; always present in server answers. */
  accessCount?: number;
  mergedIntoId: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

const parse = <T>(json: string | null): T | null => (json ? (JSON.parse(json) as T) : null);

export function actorOf(caller: Caller): Actor {
  return caller.kind === 'member' ? { id: caller.member.id, type: 'member' } : { id: null, type: 'api' };
}

/** Restricted members only see contacts they own or follow. */
export function visibleTo(caller: Caller) {
  return (eb: ExpressionBuilder<Database, 'contacts'>) => {
    const inWorkspace = eb('contacts.workspace_id', '=', caller.workspace.id);
    if (caller.kind !== 'member' || !caller.member.restrict_to_assigned) return inWorkspace;
    const memberId = caller.member.id;
    return eb.and([
      inWorkspace,
      eb.or([
        eb('contacts.owner_id', '=', memberId),
        eb.exists(
          eb
            .selectFrom('contact_followers as f')
            .select(sql.lit(1).as('one'))
            .whereRef('f.contact_id', '=', 'contacts.id')
            .where('f.member_id', '=', memberId),
        ),
      ]),
    ]);
  };
}

/** Loads contacts as API JSON, in the order of `ids`; missing ids are skipped. */
export async function loadContacts(db: Db, workspaceId: string, ids: string[]): Promise<ContactJson[]> {
  if (ids.length === 0) return [];
  const [rows, emails, phones, tags, followers, values, dnd] = await Promise.all([
    // Keeps SQLite's planner on the primary key (ids) instead of scanning a workspace index.
    db.selectFrom('contacts').selectAll().where(engineOf(db).text.unindexed(sql`contacts.workspace_id`), '=', workspaceId).where('id', 'in', ids).execute(),
    db.selectFrom('contact_emails').selectAll().where('contact_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('contact_phones').selectAll().where('contact_id', 'in', ids).orderBy('position').execute(),
    db
      .selectFrom('contact_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select(['ct.contact_id', 't.name'])
      .where('ct.contact_id', 'in', ids)
      .orderBy('t.name')
      .execute(),
    db.selectFrom('contact_followers').select(['contact_id', 'member_id']).where('contact_id', 'in', ids).execute(),
    db
      .selectFrom('contact_field_values as v')
      .innerJoin('custom_fields as f', 'f.id', 'v.field_id')
      .select(['v.contact_id', 'f.key', 'v.value_json'])
      .where('v.contact_id', 'in', ids)
      .execute(),
    db.selectFrom('contact_dnd').select(['contact_id', 'channel']).where('contact_id', 'in', ids).execute(),
  ]);
  const group = <T extends { contact_id: string }>(list: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of list) {
      const bucket = map.get(item.contact_id);
      if (bucket) bucket.push(item);
      else map.set(item.contact_id, [item]);
    }
    return map;
  };
  const [byEmails, byPhones, byTags, byFollowers, byValues, byDnd] = [
    group(emails), group(phones), group(tags), group(followers), group(values), group(dnd),
  ];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const dndSet = new Set((byDnd.get(id) ?? []).map((d) => d.channel));
    const contact: ContactJson = {
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      name: r.display_name,
      companyName: r.company_name,
      address: parse<Address>(r.address),
      website: r.website,
      avatarUrl: r.avatar_url,
      emails: (byEmails.get(id) ?? []).map((e) => ({ value: e.value, label: e.label, primary: e.is_primary === 1, verified: e.verified_at !== null })),
      phones: (byPhones.get(id) ?? []).map((p) => ({ value: p.value, label: p.label, primary: p.is_primary === 1, verified: p.verified_at !== null })),
      tags: (byTags.get(id) ?? []).map((t) => t.name),
      ownerId: r.owner_id,
      followerIds: (byFollowers.get(id) ?? []).map((f) => f.member_id).sort(),
      customFields: Object.fromEntries((byValues.get(id) ?? []).map((v) => [v.key, JSON.parse(v.value_json) as unknown])),
      dnd: Object.fromEntries(DND_CHANNELS.map((ch) => [ch, dndSet.has(ch)])) as Record<DndChannel, boolean>,
      source: r.source,
      attribution: { first: parse<Attribution>(r.attribution_first), latest: parse<Attribution>(r.attribution_latest) },
      lastInteractionAt: r.last_interaction_at,
      lastChannel: r.last_channel,
      lastAccessedAt: r.last_accessed_at,
      accessCount: r.access_count,
      mergedIntoId: r.merged_into_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
    };
    return [contact];
  });
}

/** One contact the caller may see, or 404 (also for other workspaces' ids: no hint that they exist). */
export async function getVisibleContact(db: Db, caller: Caller, id: string): Promise<ContactJson> {
  const row = await db.selectFrom('contacts').select('id').where('id', '=', id).where(visibleTo(caller)).executeTakeFirst();
  const [contact] = row ? await loadContacts(db, caller.workspace.id, [row.id]) : [];
  if (!contact) throw notFound('Contact');
  return contact;
}

async function checkMembers(db: Db, workspaceId: string, ids: string[], field: string) {
  if (ids.length === 0) return;
  const found = await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  const known = new Set(found.map((m) => m.id));
  const index = ids.findIndex((id) => !known.has(id));
  if (index >= 0) throw invalidField(field === 'ownerId' ? field : `${field}[${index}]`, `No member with id ${ids[index]} in this workspace.`);
}

/** Writes the list-valued parts of a contact (each replaced or merged as the API promises). */
async function writeParts(trx: Db, caller: Caller, contactId: string, input: ContactPatchInput, now: number) {
  const ws = caller.workspace.id;
  if (input.emails) {
    const emails = normalizeEmails(input.emails);
    await trx.deleteFrom('contact_emails').where('contact_id', '=', contactId).execute();
    if (emails.length) {
      await trx
        .insertInto('contact_emails')
        .values(emails.map((e, i) => ({ id: newId('em_'), workspace_id: ws, contact_id: contactId, value: e.value, label: e.label, is_primary: e.primary ? 1 : 0, position: i, verified_at: null })))
        .execute();
    }
  }
  if (input.phones) {
    const phones = normalizePhones(input.phones, caller.workspace.defaultRegion);
    await trx.deleteFrom('contact_phones').where('contact_id', '=', contactId).execute();
    if (phones.length) {
      await trx
        .insertInto('contact_phones')
        .values(phones.map((p, i) => ({ id: newId('ph_'), workspace_id: ws, contact_id: contactId, value: p.value, label: p.label, is_primary: p.primary ? 1 : 0, position: i, verified_at: null })))
        .execute();
    }
  }
  if (input.tags) {
    const firstSpelling = new Map<string, string>();
    for (const tag of input.tags) if (!firstSpelling.has(tag.toLowerCase())) firstSpelling.set(tag.toLowerCase(), tag);
    const names = [...firstSpelling.values()];
    await trx.deleteFrom('contact_tags').where('contact_id', '=', contactId).execute();
    if (names.length) {
      const tagIds = await ensureTags(trx, ws, names, now);
      await trx.insertInto('contact_tags').values(tagIds.map((tag_id) => ({ workspace_id: ws, contact_id: contactId, tag_id }))).execute();
    }
  }
  if (input.followerIds) {
    const ids = [...new Set(input.followerIds)];
    await checkMembers(trx, ws, ids, 'followerIds');
    await trx.deleteFrom('contact_followers').where('contact_id', '=', contactId).execute();
    if (ids.length) {
      await trx.insertInto('contact_followers').values(ids.map((member_id) => ({ workspace_id: ws, contact_id: contactId, member_id }))).execute();
    }
  }
  if (input.customFields) {
    const keys = Object.keys(input.customFields);
    const fields = keys.length
      ? await trx.selectFrom('custom_fields').selectAll().where('workspace_id', '=', ws).where('key', 'in', keys).execute()
      : [];
    const byKey = new Map(fields.map((f) => [f.key, f]));
    for (const key of keys) {
      const field = byKey.get(key);
      if (!field) throw invalidField(`customFields.${key}`, `There is no custom field "${key}" in this workspace.`);
      const value = input.customFields[key];
      if (value === null || value === undefined || value === '') {
        await trx.deleteFrom('contact_field_values').where('contact_id', '=', contactId).where('field_id', '=', field.id).execute();
        continue;
      }
      const stored = checkFieldValue(field, value);
      await trx
        .insertInto('contact_field_values')
        .values({ workspace_id: ws, contact_id: contactId, field_id: field.id, value_json: stored.json, value_text: stored.text, value_num: stored.num })
        .onConflict((oc) => oc.columns(['contact_id', 'field_id']).doUpdateSet({ value_json: stored.json, value_text: stored.text, value_num: stored.num }))
        .execute();
    }
  }
  if (input.dnd) {
    for (const [channel, on] of Object.entries(input.dnd) as [DndChannel, boolean | undefined][]) {
      if (on === undefined) continue;
      if (on) {
        await trx.insertInto('contact_dnd').values({ workspace_id: ws, contact_id: contactId, channel, since: now }).onConflict((oc) => oc.doNothing()).execute();
      } else {
        await trx.deleteFrom('contact_dnd').where('contact_id', '=', contactId).where('channel', '=', channel).execute();
      }
    }
  }
}

/**
 * Finds tags by name (case-insensitive) and creates the missing ones; returns ids in input order. Another writer may
 * create the same tag meanwhile (PostgreSQL runs requests in parallel): its row is kept and read back.
 */
export async function ensureTags(trx: Db, workspaceId: string, names: string[], now: number): Promise<string[]> {
  const find = async (list: string[]) => {
    const rows = await trx.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('name', 'in', list).execute();
    for (const t of rows) byName.set(t.name.toLowerCase(), t.id);
  };
  const byName = new Map<string, string>();
  await find(names);
  const missing = names.filter((name) => !byName.has(name.toLowerCase()));
  if (missing.length) {
    await trx
      .insertInto('tags')
      .values(missing.map((name) => ({ id: newId('tg_'), workspace_id: workspaceId, name, created_at: now })))
      .onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing())
      .execute();
    await find(missing);
  }
  return names.map((name) => byName.get(name.toLowerCase())!);
}

/** The scalar columns a create or patch sets, normalized. */
export function scalarColumns(input: ContactPatchInput, now: number) {
  const cols: ContactUpdate = {};
  if (input.firstName !== undefined) cols.first_name = input.firstName || null;
  if (input.lastName !== undefined) cols.last_name = input.lastName || null;
  if (input.companyName !== undefined) cols.company_name = input.companyName || null;
  if (input.address !== undefined) {
    const values = input.address ? Object.entries(input.address).filter(([, v]) => v) : [];
    cols.address = values.length ? JSON.stringify(Object.fromEntries(values)) : null;
  }
  if (input.website !== undefined) cols.website = input.website ? normalizeUrl(input.website, 'website') : null;
  if (input.avatarUrl !== undefined) cols.avatar_url = input.avatarUrl ? normalizeUrl(input.avatarUrl, 'avatarUrl') : null;
  if (input.ownerId !== undefined) cols.owner_id = input.ownerId || null;
  if (input.source !== undefined) cols.source = input.source || null;
  if (input.attribution) cols.attribution_latest = JSON.stringify({ ...input.attribution, at: input.attribution.at ?? now });
  return cols;
}

/** Recomputes the stored display name from the contact's current parts. */
export async function refreshDisplayName(trx: Db, contactId: string) {
  const row = await trx
    .selectFrom('contacts')
    .select([
      'first_name',
      'last_name',
      (eb) => eb.selectFrom('contact_phones').select('value').whereRef('contact_id', '=', 'contacts.id').where('is_primary', '=', 1).limit(1).as('phone'),
      (eb) => eb.selectFrom('contact_emails').select('value').whereRef('contact_id', '=', 'contacts.id').where('is_primary', '=', 1).limit(1).as('email'),
    ])
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('contacts')
    .set({ display_name: displayName(row.first_name, row.last_name, row.phone, row.email) })
    .where('id', '=', contactId)
    .execute();
}

export async function createContact(db: Db, caller: Caller, input: ContactCreateInput, now: number): Promise<ContactJson> {
  const id = await db.transaction().execute((trx) => insertContact(trx, caller, input, now));
  const [created] = await loadContacts(db, caller.workspace.id, [id]);
  return created!;
}

/** The body of createContact, for callers that batch many creates in their own transaction (import). */
export async function insertContact(trx: Db, caller: Caller, input: ContactCreateInput, now: number): Promise<string> {
  const id = newId('ct_');
  const ws = caller.workspace.id;
  const cols = scalarColumns(input, now);
  // A member who only sees assigned contacts owns what they create, or they could not see it.
  if (cols.owner_id === undefined && caller.kind === 'member' && caller.member.restrict_to_assigned) cols.owner_id = caller.member.id;
  if (cols.owner_id) await checkMembers(trx, ws, [cols.owner_id], 'ownerId');
  await trx
    .insertInto('contacts')
    .values({
      id,
      workspace_id: ws,
      display_name: '',
      created_at: now,
      updated_at: now,
      attribution_first: cols.attribution_latest ?? null,
      ...cols,
    })
    .execute();
  await writeParts(trx, caller, id, input, now);
  await refreshDisplayName(trx, id);
  const [after] = await loadContacts(trx, ws, [id]);
  await writeAudit(trx, {
    workspaceId: ws,
    contactId: id,
    actor: actorOf(caller),
    action: 'contact.created',
    changes: diff(null, after as unknown as Record<string, unknown>, ['id', 'createdAt', 'updatedAt', 'dnd', 'attribution', 'accessCount', 'lastAccessedAt']),
    at: now,
  });
  return id;
}

export async function updateContact(db: Db, caller: Caller, id: string, input: ContactPatchInput, now: number): Promise<ContactJson> {
  const before = await getVisibleContact(db, caller, id);
  if (before.deletedAt !== null) throw conflict('This contact is in the restore bin; restore it before editing.', { field: 'deletedAt' });
  const ws = caller.workspace.id;
  await db.transaction().execute(async (trx) => {
    const cols = scalarColumns(input, now);
    if (cols.owner_id) await checkMembers(trx, ws, [cols.owner_id], 'ownerId');
    await trx.updateTable('contacts').set({ ...cols, updated_at: now }).where('id', '=', id).execute();
    await writeParts(trx, caller, id, input, now);
    await refreshDisplayName(trx, id);
    const [after] = await loadContacts(trx, ws, [id]);
    const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, ['updatedAt']);
    if (Object.keys(changes).length) {
      await writeAudit(trx, { workspaceId: ws, contactId: id, actor: actorOf(caller), action: 'contact.updated', changes, at: now });
    } else {
      // Nothing changed: keep updated_at as it was so "no-op" saves don't look like edits.
      await trx.updateTable('contacts').set({ updated_at: before.updatedAt }).where('id', '=', id).execute();
    }
  });
  return getVisibleContact(db, caller, id);
}

export async function deleteContact(db: Db, caller: Caller, id: string, now: number): Promise<ContactJson> {
  const before = await getVisibleContact(db, caller, id);
  if (before.deletedAt !== null) return before;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
    await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: id, actor: actorOf(caller), action: 'contact.deleted', changes: { deletedAt: { before: null, after: now } }, at: now });
  });
  return getVisibleContact(db, caller, id);
}

export async function restoreContact(db: Db, caller: Caller, id: string, now: number): Promise<ContactJson> {
  const before = await getVisibleContact(db, caller, id);
  if (before.deletedAt === null) throw conflict('This contact is not deleted.');
  if (before.mergedIntoId !== null) throw conflict('This contact was merged into another; unmerge it to bring it back.', { field: 'mergedIntoId' });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ deleted_at: null, updated_at: now }).where('id', '=', id).execute();
    await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: id, actor: actorOf(caller), action: 'contact.restored', changes: { deletedAt: { before: before.deletedAt, after: null } }, at: now });
  });
  return getVisibleContact(db, caller, id);
}

/** Permanently removes contacts that sat in the restore bin longer than their workspace allows. */
export async function purgeExpired(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom('contacts')
    .where('deleted_at', 'is not', null)
    // Merged contacts stay as tombstones so the merge can be undone.
    .where('merged_into_id', 'is', null)
    .where((eb) =>
      eb(
        'deleted_at',
        '<',
        sql<number>`${now} - (SELECT restore_days FROM workspaces w WHERE w.id = contacts.workspace_id) * 86400000`,
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
