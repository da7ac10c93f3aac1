// Many contact creates at once (CSV import): the same rules, rows and audit events as insertContact, but checked in
// memory first and written with prepared statements, the search index rebuilt once per batch instead of once per
// inserted row by the triggers.
import type Database from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import type { CustomFieldRow } from '../db/schema.js';
import { withSearchPaused } from '../db/search-doc.js';
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

export type BulkStatements = ReturnType<typeof prepareBulkCreate>;

/** Prepared once per import. */
export function prepareBulkCreate(sqlite: Database.Database) {
  return {
    contact: sqlite.prepare(`INSERT INTO contacts (id, workspace_id, first_name, last_name, display_name, company_name, address, website, avatar_url,
      owner_id, source, attribution_first, attribution_latest, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    email: sqlite.prepare('INSERT INTO contact_emails (id, workspace_id, contact_id, value, label, is_primary, position, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)'),
    phone: sqlite.prepare('INSERT INTO contact_phones (id, workspace_id, contact_id, value, label, is_primary, position, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)'),
    tag: sqlite.prepare('INSERT INTO contact_tags (workspace_id, contact_id, tag_id) VALUES (?, ?, ?)'),
    value: sqlite.prepare('INSERT INTO contact_field_values (workspace_id, contact_id, field_id, value_json, value_text, value_num) VALUES (?, ?, ?, ?, ?, ?)'),
    audit: sqlite.prepare('INSERT INTO audit_events (id, workspace_id, contact_id, actor_id, actor_type, action, changes, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  };
}

/** Writes planned creates and their `contact.created` audit events. Call inside `trx` (it holds the connection). */
export async function writeCreates(trx: Db, sqlite: Database.Database, stmts: BulkStatements, caller: Caller, plans: CreatePlan[], now: number) {
  if (!plans.length) return;
  const ws = caller.workspace.id;
  const tagIds = await tagIdsByName(trx, ws, plans.flatMap((p) => p.tags), now);
  withSearchPaused(sqlite, () => {
    for (const { id, cols, name, emails, phones, tags, values } of plans) {
      stmts.contact.run(id, ws, cols.first_name ?? null, cols.last_name ?? null, name, cols.company_name ?? null, cols.address ?? null, cols.website ?? null,
        cols.avatar_url ?? null, cols.owner_id ?? null, cols.source ?? null, cols.attribution_latest ?? null, cols.attribution_latest ?? null, now, now);
      emails.forEach((e, i) => stmts.email.run(newId('em_'), ws, id, e.value, e.label, e.primary ? 1 : 0, i));
      phones.forEach((p, i) => stmts.phone.run(newId('ph_'), ws, id, p.value, p.label, p.primary ? 1 : 0, i));
      for (const tag of tags) stmts.tag.run(ws, id, tagIds.get(tag.toLowerCase())!);
      for (const { fieldId, stored } of values) stmts.value.run(ws, id, fieldId, stored.json, stored.text, stored.num);
    }
  });
  // The audit shows the contact as the API reads it back, exactly like a single create.
  const actor = actorOf(caller);
  const created = await loadContacts(trx, ws, plans.map((p) => p.id));
  const audits: AuditInput[] = [];
  for (const after of created) {
    const changes = diff(null, after as unknown as Record<string, unknown>, CREATE_UNTRACKED);
    stmts.audit.run(newId('ev_'), ws, after.id, actor.id, actor.type, 'contact.created', JSON.stringify(changes), now);
    audits.push({ workspaceId: ws, contactId: after.id, actor, action: 'contact.created', changes, at: now });
  }
  // The rows bypass writeAudit: their webhooks are written here, in the same transaction.
  await enqueueAuditWebhooks(trx, audits);
}

/** Tag ids by lower-cased name, creating missing tags; in slices so the IN list stays under SQLite's variable limit. */
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
