// Many contact creates at once (CSV import): the same rules, rows and audit events as insertContact, but checked in
// memory first and written as bulk inserts (engine.bulk), the search index rebuilt once per batch instead of once
// per inserted row by the triggers.
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { CustomFieldRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { newId } from '../ids.js';
import { createdChanges } from './audit-diff.js';
import type { AuditInput } from './webhook-events.js';
import { enqueueAuditWebhooks } from './webhook-outbox.js';
import { DND_CHANNELS, type ContactCreateInput } from './contact-input.js';
import { checkFieldValue, displayName, displayPhone, normalizeEmails, normalizePhones, type EmailEntry, type PhoneEntry, type StoredFieldValue } from './contact-rules.js';
import { actorOf, CREATE_UNTRACKED, ensureTagRows, scalarColumns, type Address, type ContactJson } from './contacts.js';

export interface CreatePlan {
  id: string;
  cols: ReturnType<typeof scalarColumns>;
  name: string;
  emails: EmailEntry[];
  phones: PhoneEntry[];
  tags: string[];
  values: { fieldId: string; key: string; stored: StoredFieldValue }[];
}

/**
 * Checks one create in insertContact's order (scalars, emails, phones, tags, custom fields), throwing the same
 * ApiError on the first broken rule. Imports only carry what rowToInput maps (no followers, dnd or owner).
 */
export function planCreate(caller: Caller, input: ContactCreateInput, fields: Map<string, CustomFieldRow>, now: number): CreatePlan {
  const cols = scalarColumns(input, now);
  // A member who only sees assigned contacts owns what they create, or they could not see it.
  if (cols.owner_id === undefined && caller.kind === 'member' && caller.member.restrict_to_assigned) cols.owner_id = caller.member.id;
  const emails = input.emails ? normalizeEmails(input.emails) : [];
  const phones = input.phones ? normalizePhones(input.phones, caller.workspace.defaultRegion) : [];
  const firstSpelling = new Map<string, string>();
  for (const tag of input.tags ?? []) if (!firstSpelling.has(tag.toLowerCase())) firstSpelling.set(tag.toLowerCase(), tag);
  const values: CreatePlan['values'] = [];
  for (const [key, value] of Object.entries(input.customFields ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    const field = fields.get(key)!; // checkMapping only lets known fields through
    values.push({ fieldId: field.id, key, stored: checkFieldValue(field, value) });
  }
  const name = displayName(cols.first_name, cols.last_name, phones.find((p) => p.primary)?.value, emails.find((e) => e.primary)?.value, caller.workspace.defaultRegion);
  return { id: newId('ct_'), cols, name, emails, phones, tags: [...firstSpelling.values()], values };
}

/** Writes planned creates and their `contact.created` audit events. Call inside `trx`. */
export async function writeCreates(trx: Db, caller: Caller, plans: CreatePlan[], now: number) {
  if (!plans.length) return;
  const ws = caller.workspace.id;
  const { bulk } = engineOf(trx);
  const stored = await tagsByName(trx, ws, plans.flatMap((p) => p.tags), now);
  await bulk.paused(trx, async (db) => {
    await bulk.insert(db, 'contacts', plans.map(({ id, cols, name }) => ({
      id, workspace_id: ws, first_name: cols.first_name ?? null, last_name: cols.last_name ?? null, display_name: name, company_name: cols.company_name ?? null,
      address: cols.address ?? null, website: cols.website ?? null, avatar_url: cols.avatar_url ?? null, owner_id: cols.owner_id ?? null, source: cols.source ?? null,
      attribution_first: cols.attribution_latest ?? null, attribution_latest: cols.attribution_latest ?? null, created_at: now, updated_at: now,
    })));
    await bulk.insert(db, 'contact_emails', plans.flatMap(({ id, emails }) => emails.map((e, i) => ({
      id: newId('em_'), workspace_id: ws, contact_id: id, value: e.value, label: e.label, is_primary: e.primary ? 1 : 0, position: i, verified_at: null,
    }))));
    await bulk.insert(db, 'contact_phones', plans.flatMap(({ id, phones }) => phones.map((p, i) => ({
      id: newId('ph_'), workspace_id: ws, contact_id: id, value: p.value, label: p.label, is_primary: p.primary ? 1 : 0, position: i, verified_at: null,
    }))));
    await bulk.insert(db, 'contact_tags', plans.flatMap(({ id, tags }) => tags.map((tag) => ({ workspace_id: ws, contact_id: id, tag_id: stored.get(tag.toLowerCase())!.id }))));
    await bulk.insert(db, 'contact_field_values', plans.flatMap(({ id, values }) => values.map(({ fieldId, stored }) => ({
      workspace_id: ws, contact_id: id, field_id: fieldId, value_json: stored.json, value_text: stored.text, value_num: stored.num,
    }))));
  });
  // The audit shows the contact as the API reads it back, exactly like a single create: built from what was just
  // written rather than read back (that read cost as much as the inserts).
  const actor = actorOf(caller);
  const audits: AuditInput[] = [];
  const rows = plans.map((plan) => {
    const after = createdJson(plan, stored, caller.workspace.defaultRegion, now);
    const changes = createdChanges(after as unknown as Record<string, unknown>, CREATE_UNTRACKED);
    audits.push({ workspaceId: ws, contactId: after.id, actor, action: 'contact.created', changes, at: now });
    return { id: newId('ev_'), workspace_id: ws, contact_id: after.id, actor_id: actor.id, actor_type: actor.type, action: 'contact.created', changes: JSON.stringify(changes), at: now };
  });
  await bulk.insert(trx, 'audit_events', rows);
  // The rows bypass writeAudit: their webhooks are written here, in the same transaction.
  await enqueueAuditWebhooks(trx, audits);
}

interface StoredTag {
  id: string;
  /** As stored: an existing tag keeps its spelling. */
  name: string;
  /** Its place in the engine's order of tag names (loadContacts lists a contact's tags ORDER BY name). */
  rank: number;
}

/** Tags by lower-cased name, creating missing ones; in slices so the IN lists stay under the engines' parameter limits. */
async function tagsByName(trx: Db, workspaceId: string, names: string[], now: number) {
  const unique = new Map<string, string>();
  for (const name of names) if (!unique.has(name.toLowerCase())) unique.set(name.toLowerCase(), name);
  const all = [...unique.values()];
  const tags = new Map<string, StoredTag>();
  for (let i = 0; i < all.length; i += 1000) {
    const slice = all.slice(i, i + 1000);
    (await ensureTagRows(trx, workspaceId, slice, now)).forEach((t, k) => tags.set(slice[k]!.toLowerCase(), { ...t, rank: 0 }));
  }
  // The database orders the names (each engine's collation: NOCASE on SQLite, citext on PostgreSQL), not JavaScript.
  if (tags.size > 1) {
    const byId = new Map([...tags.values()].map((t) => [t.id, t]));
    let ordered = trx.selectFrom('tags').select('id').where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id');
    // Few tags (the usual case): only these; else the workspace's whole list, in one statement still.
    if (byId.size <= 5000) ordered = ordered.where('id', 'in', [...byId.keys()]);
    let rank = 0;
    for (const { id } of await ordered.execute()) {
      const tag = byId.get(id);
      if (tag) tag.rank = rank++;
    }
  }
  return tags;
}

/** A planned create as loadContacts reads it back once written (writeCreates' columns, the tables' defaults). */
function createdJson(plan: CreatePlan, tags: Map<string, StoredTag>, region: string, now: number): ContactJson {
  const { cols } = plan;
  const attribution = cols.attribution_latest ? (JSON.parse(cols.attribution_latest) as ContactJson['attribution']['first']) : null;
  const stored = plan.tags.map((t) => tags.get(t.toLowerCase())!).sort((a, b) => a.rank - b.rank);
  return {
    id: plan.id,
    firstName: cols.first_name ?? null,
    lastName: cols.last_name ?? null,
    name: plan.name,
    companyName: cols.company_name ?? null,
    address: cols.address ? (JSON.parse(cols.address) as Address) : null,
    website: cols.website ?? null,
    avatarUrl: cols.avatar_url ?? null,
    emails: plan.emails.map((e) => ({ value: e.value, label: e.label, primary: e.primary, verified: false })),
    phones: plan.phones.map((p) => ({ value: p.value, display: displayPhone(p.value, region), label: p.label, primary: p.primary, verified: false })),
    handles: [],
    tags: stored.map((t) => t.name),
    ownerId: cols.owner_id ?? null,
    teamId: null,
    followerIds: [],
    customFields: Object.fromEntries(plan.values.map((v) => [v.key, JSON.parse(v.stored.json) as unknown])),
    dnd: Object.fromEntries(DND_CHANNELS.map((ch) => [ch, false])) as ContactJson['dnd'],
    source: cols.source ?? null,
    attribution: { first: attribution, latest: attribution },
    lastInteractionAt: null,
    lastChannel: null,
    lastAccessedAt: null,
    accessCount: 0,
    viewerChannels: [],
    mergedIntoId: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    version: 1,
  };
}
