// Many contact creates at once (CSV import): the same rules, rows and audit events as insertContact, but checked in
// memory first and written as bulk inserts (engine.bulk), the search index rebuilt once per batch instead of once
// per inserted row by the triggers.
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { CustomFieldRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { newId } from '../ids.js';
import { diff } from './audit.js';
import type { AuditInput } from './webhook-events.js';
import { enqueueAuditWebhooks } from './webhook-outbox.js';
import type { ContactCreateInput } from './contact-input.js';
import { checkFieldValue, displayName, normalizeEmails, normalizePhones, type EmailEntry, type PhoneEntry, type StoredFieldValue } from './contact-rules.js';
import { actorOf, CREATE_UNTRACKED, ensureTags, loadContacts, scalarColumns } from './contacts.js';

export interface CreatePlan {
  id: string;
  cols: ReturnType<typeof scalarColumns>;
  name: string;
  emails: EmailEntry[];
  phones: PhoneEntry[];
  tags: string[];
  values: { fieldId: string; stored: StoredFieldValue }[];
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
    values.push({ fieldId: field.id, stored: checkFieldValue(field, value) });
  }
  const name = displayName(cols.first_name, cols.last_name, phones.find((p) => p.primary)?.value, emails.find((e) => e.primary)?.value, caller.workspace.defaultRegion);
  return { id: newId('ct_'), cols, name, emails, phones, tags: [...firstSpelling.values()], values };
}

/** Writes planned creates and their `contact.created` audit events. Call inside `trx`. */
export async function writeCreates(trx: Db, caller: Caller, plans: CreatePlan[], now: number) {
  if (!plans.length) return;
  const ws = caller.workspace.id;
  const { bulk } = engineOf(trx);
  const tagIds = await tagIdsByName(trx, ws, plans.flatMap((p) => p.tags), now);
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
    await bulk.insert(db, 'contact_tags', plans.flatMap(({ id, tags }) => tags.map((tag) => ({ workspace_id: ws, contact_id: id, tag_id: tagIds.get(tag.toLowerCase())! }))));
    await bulk.insert(db, 'contact_field_values', plans.flatMap(({ id, values }) => values.map(({ fieldId, stored }) => ({
      workspace_id: ws, contact_id: id, field_id: fieldId, value_json: stored.json, value_text: stored.text, value_num: stored.num,
    }))));
  });
  // The audit shows the contact as the API reads it back, exactly like a single create.
  const actor = actorOf(caller);
  const created = await loadContacts(trx, ws, plans.map((p) => p.id));
  const audits: AuditInput[] = [];
  const rows = created.map((after) => {
    const changes = diff(null, after as unknown as Record<string, unknown>, CREATE_UNTRACKED);
    audits.push({ workspaceId: ws, contactId: after.id, actor, action: 'contact.created', changes, at: now });
    return { id: newId('ev_'), workspace_id: ws, contact_id: after.id, actor_id: actor.id, actor_type: actor.type, action: 'contact.created', changes: JSON.stringify(changes), at: now };
  });
  await bulk.insert(trx, 'audit_events', rows);
  // The rows bypass writeAudit: their webhooks are written here, in the same transaction.
  await enqueueAuditWebhooks(trx, audits);
}

/** Tag ids by lower-cased name, creating missing tags; in slices so the IN list stays under the engines' parameter limits. */
async function tagIdsByName(trx: Db, workspaceId: string, names: string[], now: number) {
  const unique = new Map<string, string>();
  for (const name of names) if (!unique.has(name.toLowerCase())) unique.set(name.toLowerCase(), name);
  const all = [...unique.values()];
  const ids = new Map<string, string>();
  for (let i = 0; i < all.length; i += 1000) {
    const slice = all.slice(i, i + 1000);
    (await ensureTags(trx, workspaceId, slice, now)).forEach((id, k) => ids.set(slice[k]!.toLowerCase(), id));
  }
  return ids;
}
