// The contact store: reads contacts as API JSON and applies creates, patches, deletes and restores,
// each checked against the rules and written to the audit log in one transaction.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connection.js';
import { compiledOnce } from '../db/compiled.js';
import { engineOf } from '../db/engine/index.js';
import type { ContactUpdate, Database, DndChannel } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError, conflict, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { diff, writeAudit, type Actor } from './audit.js';
import { DND_CHANNELS, type ContactCreateInput, type ContactPatchInput } from './contact-input.js';
import { checkFieldValue, displayName, displayPhone, normalizeEmails, normalizePhones, normalizeUrl } from './contact-rules.js';
import type { ContactEvent, ContactRef, EventFeed } from './events.js';
import { checkTeam } from './teams.js';

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
  /** The landing page: the first page of the visit (or the URL the event named). */
  url?: string | null;
  /** Ad click ids (Google, Meta). */
  gclid?: string | null;
  fbclid?: string | null;
  /** Where the touch came from, derived when not given: `paid_search`, `paid_social`, `social`, `email`, `organic_search`, `referral`, `direct`, or a message channel (`whatsapp`, `call`…). */
  channel?: string | null;
  /** The activity (timeline event or message) that made this touch. */
  activityId?: string | null;
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
  /** `value` is E.164; `display` is how to show it (national format in the workspace's region, else international). */
  phones: { value: string; display: string; label: string | null; primary: boolean; verified: boolean }[];
  /** Channel handles that identify the contact (Instagram, Facebook), without the "@". */
  handles: { channel: string; handle: string }[];
  tags: string[];
  ownerId: string | null;
  /** The team the contact belongs to (GET /teams), or null; always present in server answers. */
  teamId?: string | null;
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
  /** How this contact passed share-link gates: `email`, `whatsapp` (both when it used both; none for non-viewers); always present in server answers. */
  viewerChannels?: ('email' | 'whatsapp')[];
  mergedIntoId: string | null;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  /** Bumped by every change; send it back as `If-Match` with a patch of a list field. */
  version: number;
}

/** ContactJson fields every write changes: left out of audit diffs. */
export const UNTRACKED = ['updatedAt', 'version'];
/** Fields a patch replaces as a whole list: refused (409 version_conflict) when made against a stale version. */
export const LIST_FIELDS = ['emails', 'phones', 'tags', 'followerIds'] as const;

/** Sets the next version: every write that changes a contact includes it (with updated_at). */
export const nextVersion = sql<number>`version + 1`;

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

/**
 * The contact row with its children, each as JSON text of row arrays (JsonAccess.rowsOf): one statement instead of
 * one per child table. Rows: emails and phones [value, label, is_primary, verified_at], handles [channel, handle],
 * tags [name], followers [member_id], values [key, value_json], dnd [channel], viewed [channel]; plus the
 * workspace's default region (for phone display).
 */
function contactSelect(db: Db) {
  const { json } = engineOf(db);
  return db
    .selectFrom('contacts')
    .selectAll('contacts')
    .select((eb) => [
      json.rowsOf(eb.selectFrom('contact_emails').select(['value', 'label', 'is_primary', 'verified_at']).whereRef('contact_id', '=', 'contacts.id').orderBy('position'), ['value', 'label', 'is_primary', 'verified_at']).as('j_emails'),
      json.rowsOf(eb.selectFrom('contact_phones').select(['value', 'label', 'is_primary', 'verified_at']).whereRef('contact_id', '=', 'contacts.id').orderBy('position'), ['value', 'label', 'is_primary', 'verified_at']).as('j_phones'),
      json.rowsOf(eb.selectFrom('contact_handles').select(['channel', 'handle']).whereRef('contact_id', '=', 'contacts.id').orderBy('created_at').orderBy('channel'), ['channel', 'handle']).as('j_handles'),
      json.rowsOf(eb.selectFrom('contact_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').select('t.name').whereRef('ct.contact_id', '=', 'contacts.id').orderBy('t.name'), ['name']).as('j_tags'),
      json.rowsOf(eb.selectFrom('contact_followers').select('member_id').whereRef('contact_id', '=', 'contacts.id').orderBy('member_id'), ['member_id']).as('j_followers'),
      json.rowsOf(eb.selectFrom('contact_field_values as v').innerJoin('custom_fields as f', 'f.id', 'v.field_id').select(['f.key', 'v.value_json']).whereRef('v.contact_id', '=', 'contacts.id'), ['key', 'value_json']).as('j_values'),
      json.rowsOf(eb.selectFrom('contact_dnd').select('channel').whereRef('contact_id', '=', 'contacts.id'), ['channel']).as('j_dnd'),
      json.rowsOf(eb.selectFrom('link_views').select('channel').distinct().whereRef('contact_id', '=', 'contacts.id').where('channel', 'is not', null).orderBy('channel'), ['channel']).as('j_viewed'),
      eb.selectFrom('workspaces').select('default_region').whereRef('workspaces.id', '=', 'contacts.workspace_id').as('region'),
    ]);
}

type ContactRow = Awaited<ReturnType<ReturnType<typeof contactSelect>['executeTakeFirstOrThrow']>>;

const rowsOf = <T extends unknown[]>(text: string | null): T[] => (text ? (JSON.parse(text) as T[]) : []);

function toContactJson(r: ContactRow): ContactJson {
  const region = r.region ?? 'US';
  const dndSet = new Set(rowsOf<[DndChannel]>(r.j_dnd).map(([channel]) => channel));
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    name: r.display_name,
    companyName: r.company_name,
    address: parse<Address>(r.address),
    website: r.website,
    avatarUrl: r.avatar_url,
    emails: rowsOf<[string, string | null, number, number | null]>(r.j_emails).map(([value, label, primary, verifiedAt]) => ({ value, label, primary: Number(primary) === 1, verified: verifiedAt !== null })),
    phones: rowsOf<[string, string | null, number, number | null]>(r.j_phones).map(([value, label, primary, verifiedAt]) => ({ value, display: displayPhone(value, region), label, primary: Number(primary) === 1, verified: verifiedAt !== null })),
    handles: rowsOf<[string, string]>(r.j_handles).map(([channel, handle]) => ({ channel, handle })),
    tags: rowsOf<[string]>(r.j_tags).map(([name]) => name),
    ownerId: r.owner_id,
    teamId: r.team_id,
    followerIds: rowsOf<[string]>(r.j_followers).map(([id]) => id),
    customFields: Object.fromEntries(rowsOf<[string, string]>(r.j_values).map(([key, value]) => [key, JSON.parse(value) as unknown])),
    dnd: Object.fromEntries(DND_CHANNELS.map((ch) => [ch, dndSet.has(ch)])) as Record<DndChannel, boolean>,
    source: r.source,
    attribution: { first: parse<Attribution>(r.attribution_first), latest: parse<Attribution>(r.attribution_latest) },
    lastInteractionAt: r.last_interaction_at,
    lastChannel: r.last_channel,
    lastAccessedAt: r.last_accessed_at,
    accessCount: r.access_count,
    viewerChannels: rowsOf<['email' | 'whatsapp']>(r.j_viewed).map(([channel]) => channel),
    mergedIntoId: r.merged_into_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
    version: r.version,
  };
}

/** One contact by id in a workspace (the hot read: compiled once). */
const loadOne = compiledOnce(['id', 'ws'], (db, p) => contactSelect(db).where('contacts.id', '=', p.id).where('contacts.workspace_id', '=', p.ws));
/** One contact a restricted member may see: owned or followed. */
const loadOneAssigned = compiledOnce(['id', 'ws', 'member'], (db, p) =>
  contactSelect(db)
    .where('contacts.id', '=', p.id)
    .where('contacts.workspace_id', '=', p.ws)
    .where((eb) => eb.or([eb('contacts.owner_id', '=', p.member), eb.exists(eb.selectFrom('contact_followers as f').select(sql.lit(1).as('one')).whereRef('f.contact_id', '=', 'contacts.id').where('f.member_id', '=', p.member))])),
);

/** Loads contacts as API JSON, in the order of `ids`; missing ids are skipped. */
export async function loadContacts(db: Db, workspaceId: string, ids: string[]): Promise<ContactJson[]> {
  if (ids.length === 0) return [];
  if (ids.length === 1) return (await loadOne(db, { id: ids[0], ws: workspaceId })).map(toContactJson);
  const rows = await contactSelect(db)
    // Keeps SQLite's planner on the primary key (ids) instead of scanning a workspace index.
    .where(engineOf(db).text.unindexed(sql`contacts.workspace_id`), '=', workspaceId)
    .where('contacts.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toContactJson(r)] : [];
  });
}

/** One contact the caller may see, or 404 (also for other workspaces' ids: no hint that they exist). */
export async function getVisibleContact(db: Db, caller: Caller, id: string): Promise<ContactJson> {
  const restricted = caller.kind === 'member' && caller.member.restrict_to_assigned;
  const [row] = restricted
    ? await loadOneAssigned(db, { id, ws: caller.workspace.id, member: caller.member.id })
    : await loadOne(db, { id, ws: caller.workspace.id });
  if (!row) throw notFound('Contact');
  return toContactJson(row);
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
      if (field.type === 'file') {
        await setFileField(trx, contactId, key, value);
        continue;
      }
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

/** At most this many documents in one file field. */
export const MAX_FIELD_FILES = 20;

/**
 * A file field's value is the documents in it (a trigger keeps contact_field_values in step): the given ids —
 * internal documents of this contact, in no other field — are put in the field, the others taken out of it
 * (they stay as ordinary internal documents). null or [] empties it.
 */
async function setFileField(trx: Db, contactId: string, key: string, value: unknown) {
  const path = `customFields.${key}`;
  const ids = value === null || value === undefined || value === '' ? [] : value;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw invalidField(path, `${key} must be a list of document ids.`);
  const keep = [...new Set(ids as string[])];
  if (keep.length > MAX_FIELD_FILES) throw invalidField(path, `${key} holds at most ${MAX_FIELD_FILES} files.`);
  if (keep.length) {
    const rows = await trx.selectFrom('documents').select(['id', 'section', 'field_key']).where('contact_id', '=', contactId).where('id', 'in', keep).where('deleted_at', 'is', null).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const bad = keep.find((id) => byId.get(id)?.section !== 'internal' || ![null, key].includes(byId.get(id)!.field_key));
    if (bad) throw invalidField(path, `${bad} is not an internal document of this contact outside other fields.`);
  }
  let out = trx.updateTable('documents').set({ field_key: null }).where('contact_id', '=', contactId).where('field_key', '=', key);
  if (keep.length) out = out.where('id', 'not in', keep);
  await out.execute();
  if (keep.length) await trx.updateTable('documents').set({ field_key: key }).where('id', 'in', keep).where('field_key', 'is', null).execute();
}

/**
 * Finds tags by name (case-insensitive) and creates the missing ones; returns ids in input order. Another writer may
 * create the same tag meanwhile (PostgreSQL runs requests in parallel): its row is kept and read back.
 */
export async function ensureTags(trx: Db, workspaceId: string, names: string[], now: number): Promise<string[]> {
  return (await ensureTagRows(trx, workspaceId, names, now)).map((t) => t.id);
}

/** ensureTags with each tag's name as stored (an existing tag keeps its own spelling: "VIP" for "vip"). */
export async function ensureTagRows(trx: Db, workspaceId: string, names: string[], now: number): Promise<{ id: string; name: string }[]> {
  const find = async (list: string[]) => {
    const rows = await trx.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('name', 'in', list).execute();
    for (const t of rows) byName.set(t.name.toLowerCase(), t);
  };
  const byName = new Map<string, { id: string; name: string }>();
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

/**
 * The scalar columns a create or patch sets, normalized. A patch's `address` merges into `current` part by part
 * (a null part clears it), so a client sends only the parts it changed.
 */
export function scalarColumns(input: ContactPatchInput, now: number, current?: Address | null) {
  const cols: ContactUpdate = {};
  if (input.firstName !== undefined) cols.first_name = input.firstName || null;
  if (input.lastName !== undefined) cols.last_name = input.lastName || null;
  if (input.companyName !== undefined) cols.company_name = input.companyName || null;
  if (input.address !== undefined) {
    const values = input.address ? Object.entries({ ...current, ...input.address }).filter(([, v]) => v) : [];
    cols.address = values.length ? JSON.stringify(Object.fromEntries(values)) : null;
  }
  if (input.website !== undefined) cols.website = input.website ? normalizeUrl(input.website, 'website') : null;
  if (input.avatarUrl !== undefined) cols.avatar_url = input.avatarUrl ? normalizeUrl(input.avatarUrl, 'avatarUrl') : null;
  if (input.ownerId !== undefined) cols.owner_id = input.ownerId || null;
  if (input.teamId !== undefined) cols.team_id = input.teamId || null;
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
      'display_name',
      (eb) => eb.selectFrom('contact_phones').select('value').whereRef('contact_id', '=', 'contacts.id').where('is_primary', '=', 1).limit(1).as('phone'),
      (eb) => eb.selectFrom('contact_emails').select('value').whereRef('contact_id', '=', 'contacts.id').where('is_primary', '=', 1).limit(1).as('email'),
      // The contact's oldest handle, as two columns (the same row: one order) so both engines read it alike.
      (eb) => eb.selectFrom('contact_handles').select('channel').whereRef('contact_id', '=', 'contacts.id').orderBy('created_at').orderBy('channel').limit(1).as('handle_channel'),
      (eb) => eb.selectFrom('contact_handles').select('handle').whereRef('contact_id', '=', 'contacts.id').orderBy('created_at').orderBy('channel').limit(1).as('handle_name'),
      (eb) => eb.selectFrom('workspaces').select('default_region').whereRef('workspaces.id', '=', 'contacts.workspace_id').as('region'),
    ])
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  const handle = row.handle_channel && row.handle_name ? { channel: row.handle_channel, handle: row.handle_name } : null;
  const name = displayName(row.first_name, row.last_name, row.phone, row.email, row.region ?? 'US', handle);
  // Unchanged: no write (an UPDATE of display_name would refresh the search index for nothing).
  if (name !== row.display_name) await trx.updateTable('contacts').set({ display_name: name }).where('id', '=', contactId).execute();
}

/** ContactJson fields a create does not list in its audit event. */
export const CREATE_UNTRACKED = ['id', 'createdAt', 'dnd', 'attribution', 'accessCount', 'lastAccessedAt', 'viewerChannels', 'handles', ...UNTRACKED];

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
  if (cols.team_id) await checkTeam(trx, ws, cols.team_id);
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
    changes: diff(null, after as unknown as Record<string, unknown>, CREATE_UNTRACKED),
    at: now,
  });
  return id;
}

/** A patch that replaces a list (or a custom value that is one) is made against a version of it. */
const replacesList = (input: ContactPatchInput) =>
  LIST_FIELDS.some((f) => input[f] !== undefined) || Object.values(input.customFields ?? {}).some(Array.isArray);

/**
 * Applies a patch: only the fields it names change. With `ifVersion` (the `If-Match` the client read), a patch of
 * a list field made against an older version is refused with 409 `version_conflict`: a list sent whole would undo
 * what was added or removed since (a bulk tag, a merge). Scalars are taken as sent, field by field.
 */
/** The patch changes a list or keyed part (emails, phones, tags, followers, custom values, DND), not only columns. */
const hasParts = (input: ContactPatchInput) =>
  input.emails !== undefined || input.phones !== undefined || input.tags !== undefined || input.followerIds !== undefined || input.customFields !== undefined || input.dnd !== undefined;

/** What each scalar column holds in the contact as read (JSON columns as stored). */
const currentColumn = (c: ContactJson): Record<string, unknown> => ({
  first_name: c.firstName,
  last_name: c.lastName,
  company_name: c.companyName,
  address: c.address ? JSON.stringify(c.address) : null,
  website: c.website,
  avatar_url: c.avatarUrl,
  owner_id: c.ownerId,
  team_id: c.teamId ?? null,
  source: c.source,
  attribution_latest: c.attribution.latest ? JSON.stringify(c.attribution.latest) : null,
});

/**
 * A patch of columns only (the usual edit): the display name is worked out here from the contact as read, and one
 * UPDATE writes the columns with the new version, so the search index and counters are refreshed once. A patch
 * that changes nothing writes nothing.
 */
async function updateScalars(trx: Db, caller: Caller, before: ContactJson, cols: ContactUpdate, now: number): Promise<{ contact: ContactJson; changed: boolean; before: ContactJson }> {
  const current = currentColumn(before);
  const set: ContactUpdate = Object.fromEntries(Object.entries(cols).filter(([k, v]) => current[k] !== v));
  if (!Object.keys(set).length) return { contact: before, changed: false, before };
  if ('first_name' in set || 'last_name' in set) {
    const first = 'first_name' in set ? set.first_name : before.firstName;
    const last = 'last_name' in set ? set.last_name : before.lastName;
    const phone = before.phones.find((p) => p.primary)?.value;
    const email = before.emails.find((e) => e.primary)?.value;
    const name = displayName(first as string | null, last as string | null, phone, email, caller.workspace.defaultRegion, before.handles[0] ?? null);
    if (name !== before.name) set.display_name = name;
  }
  const bumped = await trx.updateTable('contacts').set({ ...set, updated_at: now, version: nextVersion }).where('id', '=', before.id).returning(['version', 'updated_at']).executeTakeFirstOrThrow();
  const [after] = await loadContacts(trx, caller.workspace.id, [before.id]);
  const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, UNTRACKED);
  if (!Object.keys(changes).length) {
    // Stored differently but the same (an address's keys in another order): not an edit after all.
    await trx.updateTable('contacts').set({ updated_at: before.updatedAt, version: before.version }).where('id', '=', before.id).execute();
    return { contact: before, changed: false, before };
  }
  await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: before.id, actor: actorOf(caller), action: 'contact.updated', changes, at: now });
  return { contact: { ...after!, version: bumped.version, updatedAt: bumped.updated_at }, changed: true, before };
}

export async function updateContact(db: Db, caller: Caller, id: string, input: ContactPatchInput, now: number, ifVersion?: number): Promise<{ contact: ContactJson; changed: boolean; before: ContactJson }> {
  const ws = caller.workspace.id;
  return db.transaction().execute(async (trx) => {
    // Read once, in the transaction: visible to the caller (404 otherwise) and what the audit diff starts from.
    const before = await getVisibleContact(trx, caller, id);
    if (before.deletedAt !== null) throw conflict('This contact is in the restore bin; restore it before editing.', { field: 'deletedAt' });
    if (ifVersion !== undefined && ifVersion !== before.version && replacesList(input)) {
      throw new ApiError(409, 'version_conflict', 'This contact changed since you loaded it; reload it and apply your change again.', {
        version: before.version,
        fields: [...LIST_FIELDS.filter((f) => input[f] !== undefined), ...Object.keys(input.customFields ?? {}).map((k) => `customFields.${k}`)],
      });
    }
    const cols = scalarColumns(input, now, before.address);
    // A URL of the host's replaces a stored picture: its blob is no longer the contact's (collection may take it).
    if (cols.avatar_url !== undefined && cols.avatar_url !== before.avatarUrl) cols.avatar_key = null;
    if (cols.owner_id) await checkMembers(trx, ws, [cols.owner_id], 'ownerId');
    if (cols.team_id) await checkTeam(trx, ws, cols.team_id);
    if (!hasParts(input)) return updateScalars(trx, caller, before, cols, now);
    if (Object.keys(cols).length) await trx.updateTable('contacts').set(cols).where('id', '=', id).execute();
    await writeParts(trx, caller, id, input, now);
    await refreshDisplayName(trx, id);
    const [after] = await loadContacts(trx, ws, [id]);
    const changes = diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, UNTRACKED);
    // Nothing changed: updated_at and the version stay, so "no-op" saves don't look like edits.
    if (!Object.keys(changes).length) return { contact: after!, changed: false, before };
    const bumped = await trx.updateTable('contacts').set({ updated_at: now, version: nextVersion }).where('id', '=', id).returning(['version', 'updated_at']).executeTakeFirstOrThrow();
    await writeAudit(trx, { workspaceId: ws, contactId: id, actor: actorOf(caller), action: 'contact.updated', changes, at: now });
    // The contact as committed: read above, with the version and time the last statement gave it.
    return { contact: { ...after!, version: bumped.version, updatedAt: bumped.updated_at }, changed: true, before };
  });
}

export async function deleteContact(db: Db, caller: Caller, id: string, now: number): Promise<ContactJson> {
  const before = await getVisibleContact(db, caller, id);
  if (before.deletedAt !== null) return before;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ deleted_at: now, updated_at: now, version: nextVersion }).where('id', '=', id).execute();
    await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: id, actor: actorOf(caller), action: 'contact.deleted', changes: { deletedAt: { before: null, after: now } }, at: now });
  });
  return getVisibleContact(db, caller, id);
}

export async function restoreContact(db: Db, caller: Caller, id: string, now: number): Promise<ContactJson> {
  const before = await getVisibleContact(db, caller, id);
  if (before.deletedAt === null) throw conflict('This contact is not deleted.');
  if (before.mergedIntoId !== null) throw conflict('This contact was merged into another; unmerge it to bring it back.', { field: 'mergedIntoId' });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set({ deleted_at: null, updated_at: now, version: nextVersion }).where('id', '=', id).execute();
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

/** Tells the feed that one contact changed, as committed (`contact` as the write answered it: its new version). */
export function publishContact(feed: EventFeed | undefined, workspaceId: string, type: ContactEvent['type'], contact: ContactRef, extra: Pick<ContactEvent, 'fields'> = {}) {
  feed?.publish({ type, workspaceId, contacts: [{ id: contact.id, version: contact.version }], ...extra });
}

/**
 * Tells the feed that these contacts changed, with their versions as committed. Call after the write's transaction:
 * a listener that reads the contact then sees the change.
 */
export async function publishContacts(db: Db, feed: EventFeed | undefined, workspaceId: string, type: ContactEvent['type'], ids: string[], extra: Pick<ContactEvent, 'fields' | 'survivorId' | 'mergeId'> = {}) {
  if (!feed || !ids.length) return;
  const rows = await db.selectFrom('contacts').select(['id', 'version']).where('id', 'in', [...new Set(ids)]).where('workspace_id', '=', workspaceId).execute();
  if (rows.length) feed.publish({ type, workspaceId, contacts: rows, ...extra });
}
