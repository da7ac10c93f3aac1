// CSV import: each row mapped to contact fields, validated by the same schema and rules as the API, matched
// against existing contacts by email or phone (skip | update | create), with a per-row report.
import { parse } from 'csv-parse';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { CustomFieldRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { issuePaths } from '../http/validate.js';
import { yieldToEventLoop, type JobProgress } from './bulk-jobs.js';
import { contactCreateSchema, type ContactCreateInput } from './contact-input.js';
import { normalizePhone, type PhoneLabel } from './contact-rules.js';
import { planCreate, writeCreates, type CreatePlan } from './contact-bulk-create.js';
import { getVisibleContact, publishContacts, updateContact, visibleTo } from './contacts.js';
import type { EventFeed } from './events.js';
import { CSV_OPTIONS, type SpooledCsv } from './import-file.js';

export const DEDUPE_MODES = ['skip', 'update', 'create'] as const;
/** Rows an import's report lists (problems and skipped duplicates); the counts cover every row. */
export const IMPORT_REPORT_ROWS = 10_000;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

const SCALARS = ['firstName', 'lastName', 'companyName', 'website', 'source'] as const;
const ADDRESS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
/** Targets a CSV column can map to; several columns may map to email or phone. */
export const IMPORT_TARGETS = [...SCALARS, 'email', 'phone', 'tags', ...ADDRESS.map((p) => `address.${p}`)] as const;

// Rows per transaction: large enough to spread the per-chunk lookups and search re-indexing, small enough that other
// requests (which wait for the connection) are held up for a fraction of a second.
const CHUNK = 1000;

/** Checks the mapping against the workspace's fields; unknown targets answer 400 at `mapping.<column>`. */
export function checkMapping(mapping: Record<string, string>, fields: Map<string, CustomFieldRow>) {
  for (const [column, target] of Object.entries(mapping)) {
    // A file field holds uploaded documents: a CSV cell cannot fill it.
    const known = (IMPORT_TARGETS as readonly string[]).includes(target) || (target.startsWith('custom.') && fields.has(target.slice(7)) && fields.get(target.slice(7))!.type !== 'file');
    if (!known) throw new ApiError(400, 'invalid_mapping', `Column "${column}" maps to unknown field "${target}".`, { path: `mapping.${column}` });
  }
}

const list = (s: string) => s.split(/[;,]/).map((t) => t.trim()).filter(Boolean);

/** A CSV cell as the value the custom field's type wants; unparsable values pass through for the rules to reject. */
function customValue(field: CustomFieldRow, raw: string): unknown {
  switch (field.type) {
    case 'number': {
      const n = Number(raw.replace(/[, ]/g, ''));
      return Number.isFinite(n) ? n : raw;
    }
    case 'checkbox':
      return /^(true|yes|y|1|x)$/i.test(raw) ? true : /^(false|no|n|0)$/i.test(raw) ? false : raw;
    case 'multi_select':
      return list(raw);
    default:
      return raw;
  }
}

/** A phone column's label from its header: "Mobile", "Cell phone" → mobile; "Home", "Work phone", "Landline"… */
export function phoneLabelOf(header: string): PhoneLabel | null {
  const h = header.toLowerCase();
  if (/mobile|cell|handy/.test(h)) return 'mobile';
  if (/landline|fixed/.test(h)) return 'landline';
  if (/home|private/.test(h)) return 'home';
  if (/work|office|business/.test(h)) return 'work';
  return null;
}

/** One CSV record → create input (only non-empty cells). */
export function rowToInput(record: Record<string, string>, mapping: Record<string, string>, fields: Map<string, CustomFieldRow>): ContactCreateInput {
  const input: Record<string, unknown> = {};
  const emails: { value: string }[] = [];
  const phones: { value: string; label?: PhoneLabel }[] = [];
  const address: Record<string, string> = {};
  const custom: Record<string, unknown> = {};
  for (const [column, target] of Object.entries(mapping)) {
    const raw = record[column]?.trim();
    if (!raw) continue;
    if (target === 'email') emails.push(...list(raw).map((value) => ({ value })));
    else if (target === 'phone') {
      // The column's label goes on its first number, unless an earlier column already used it (labels are unique).
      const label = phoneLabelOf(column);
      const values = raw.split(/[;]/).map((v) => v.trim()).filter(Boolean);
      const free = label && !phones.some((p) => p.label === label);
      phones.push(...values.map((value, i) => (free && i === 0 ? { value, label: label! } : { value })));
    }
    else if (target === 'tags') input.tags = [...((input.tags as string[]) ?? []), ...list(raw)];
    else if (target.startsWith('address.')) address[target.slice(8)] = raw;
    else if (target.startsWith('custom.')) custom[target.slice(7)] = customValue(fields.get(target.slice(7))!, raw);
    else input[target] = raw;
  }
  if (emails.length) input.emails = emails;
  if (phones.length) input.phones = phones;
  if (Object.keys(address).length) input.address = address;
  if (Object.keys(custom).length) input.customFields = custom;
  return input as ContactCreateInput;
}

/** The emails and phones a row is matched by, as stored ("e:" and "p:" prefixed). */
function matchKeys(caller: Caller, input: ContactCreateInput): string[] {
  return [
    ...(input.emails ?? []).map((e) => `e:${e.value.trim().toLowerCase()}`),
    ...(input.phones ?? []).flatMap((p) => normalizePhone(p.value, caller.workspace.defaultRegion) ?? []).map((v) => `p:${v}`),
  ];
}

/** For each key, the oldest visible live contact that has it: one lookup per chunk instead of one per row. */
async function existingMatches(db: Db, caller: Caller, keys: string[]) {
  const ws = caller.workspace.id;
  const emails = [...new Set(keys.filter((k) => k.startsWith('e:')).map((k) => k.slice(2)))];
  const phones = [...new Set(keys.filter((k) => k.startsWith('p:')).map((k) => k.slice(2)))];
  // Candidates straight from the value indexes first: a single query with IN-subqueries let SQLite walk every
  // contact in created order instead (quadratic over an import).
  const candidates: { key: string; id: string }[] = [];
  for (const [prefix, table, values] of [['e:', 'contact_emails', emails], ['p:', 'contact_phones', phones]] as const) {
    for (const slice of slices(values)) {
      const rows = await db.selectFrom(table).select(['value', 'contact_id']).where('workspace_id', '=', ws).where('value', 'in', slice).execute();
      for (const r of rows) candidates.push({ key: prefix + r.value, id: r.contact_id });
    }
  }
  const createdAt = new Map<string, number>();
  for (const slice of slices([...new Set(candidates.map((c) => c.id))])) {
    const rows = await db.selectFrom('contacts').select(['contacts.id', 'contacts.created_at']).where('contacts.id', 'in', slice).where(visibleTo(caller)).where('contacts.deleted_at', 'is', null).execute();
    for (const r of rows) createdAt.set(r.id, r.created_at);
  }
  const best = new Map<string, { id: string; at: number }>();
  for (const { key, id } of candidates) {
    const at = createdAt.get(id);
    const current = best.get(key);
    if (at !== undefined && (!current || at < current.at)) best.set(key, { id, at });
  }
  return best;
}

/** SQLite allows 32,766 variables per statement. */
function slices<T>(list: T[], size = 5000): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
}

/** Update mode fills in what the row has: scalars overwrite, emails / phones / tags are added, custom values set. */
async function updateFromRow(db: Db, caller: Caller, id: string, input: ContactCreateInput, now: number): Promise<boolean> {
  const current = await getVisibleContact(db, caller, id);
  const patch: ContactCreateInput = { ...input };
  if (input.emails) {
    const have = new Set(current.emails.map((e) => e.value));
    patch.emails = [
      ...current.emails.map((e) => ({ value: e.value, label: e.label, primary: e.primary })),
      ...input.emails.filter((e) => !have.has(e.value.trim().toLowerCase())),
    ];
  }
  if (input.phones) {
    const have = new Set(current.phones.map((p) => p.value));
    const labels = new Set(current.phones.map((p) => p.label));
    patch.phones = [
      ...current.phones.map((p) => ({ value: p.value, label: p.label, primary: p.primary })),
      // A label the contact already uses stays where it is; the added number goes without it.
      ...input.phones.filter((p) => !have.has(normalizePhone(p.value, caller.workspace.defaultRegion) ?? p.value)).map((p) => (p.label && labels.has(p.label as PhoneLabel) ? { ...p, label: null } : p)),
    ];
  }
  if (input.tags) patch.tags = [...current.tags, ...input.tags];
  if (input.address) patch.address = { ...(current.address ?? {}), ...input.address };
  return (await updateContact(db, caller, id, patch, now)).changed;
}

export interface ImportOptions {
  mapping: Record<string, string>;
  dedupe: DedupeMode;
  fields: Map<string, CustomFieldRow>;
  /** Where each chunk's creates and updates are announced (open tables and records follow them). */
  events?: EventFeed;
}

/**
 * Streams the CSV (received whole and checked beforehand, import-file.ts) through the parser (constant memory) and
 * imports it in chunks, saving progress per chunk.
 */
export async function importCsv(db: Db, caller: Caller, file: SpooledCsv, opts: ImportOptions, job: JobProgress, now: () => number) {
  if (file.encoding === 'windows-1252') job.note({ message: 'The file is not UTF-8: it was read as Windows-1252 (Western European).' });
  const parser = file.text().pipe(parse(CSV_OPTIONS));
  let row = 0;
  let batch: { row: number; record: Record<string, string> }[] = [];
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    batch.push({ row: ++row, record });
    if (batch.length === CHUNK) {
      await importChunk(db, caller, batch, opts, job, now());
      batch = [];
    }
  }
  if (batch.length) await importChunk(db, caller, batch, opts, job, now());
}

/**
 * One transaction per chunk. Rows are checked before anything is written, so a row that breaks a rule is reported
 * and left out (no savepoints). Rows match existing contacts and those created earlier in the file alike.
 */
async function importChunk(db: Db, caller: Caller, batch: { row: number; record: Record<string, string> }[], opts: ImportOptions, job: JobProgress, now: number) {
  const rows: { row: number; input: ContactCreateInput; keys: string[] }[] = [];
  for (const { row, record } of batch) {
    const parsed = contactCreateSchema.safeParse(rowToInput(record, opts.mapping, opts.fields));
    if (parsed.success) rows.push({ row, input: parsed.data, keys: opts.dedupe === 'create' ? [] : matchKeys(caller, parsed.data) });
    else issuePaths(parsed.error.issues).forEach((issue, i) => (i ? job.note : job.fail).call(job, { row, field: issue.path, message: issue.message }));
  }
  const updates: { row: number; id: string; input: ContactCreateInput }[] = [];
  const created = await db.transaction().execute(async (trx) => {
    const existing = await existingMatches(trx, caller, rows.flatMap((r) => r.keys));
    const createdHere = new Map<string, string>();
    const plans: CreatePlan[] = [];
    for (const { row, input, keys } of rows) {
      // Like a lookup per row: the oldest existing contact, else one this chunk creates.
      const found = keys.flatMap((k) => (existing.has(k) ? [{ ...existing.get(k)!, key: k }] : [])).sort((a, b) => a.at - b.at)[0];
      const earlier = found ? undefined : keys.find((k) => createdHere.has(k));
      const match = found?.id ?? (earlier ? createdHere.get(earlier) : undefined);
      if (match && opts.dedupe === 'skip') {
        job.bump('skipped');
        job.ok();
        // Skipped rows are in the report too, with what they matched.
        const key = (found?.key ?? earlier)!;
        const what = key.startsWith('e:') ? `email ${key.slice(2)}` : `phone ${key.slice(2)}`;
        job.note({ row, id: match, skipped: true, message: found ? `Skipped: a contact with ${what} already exists.` : `Skipped: an earlier row of the file has the same ${what}.` });
      } else if (match) {
        updates.push({ row, id: match, input }); // updateContact runs its own transaction, after this one
      } else {
        try {
          const plan = planCreate(caller, { ...input, source: input.source ?? 'import' }, opts.fields, now);
          plans.push(plan);
          for (const k of keys) if (!createdHere.has(k)) createdHere.set(k, plan.id);
          job.bump('created');
          job.ok();
        } catch (err) {
          rowFailed(job, row, err);
        }
      }
    }
    await writeCreates(trx, caller, plans, now);
    return plans.map((p) => p.id);
  });
  const updated: string[] = [];
  for (const { row, id, input } of updates) {
    try {
      if (await updateFromRow(db, caller, id, input, now)) updated.push(id);
      job.bump('updated');
      job.ok();
    } catch (err) {
      rowFailed(job, row, err);
    }
  }
  await publishContacts(db, opts.events, caller.workspace.id, 'contact.created', created);
  await publishContacts(db, opts.events, caller.workspace.id, 'contact.updated', updated);
  await job.save();
  await yieldToEventLoop();
}

function rowFailed(job: JobProgress, row: number, err: unknown) {
  if (!(err instanceof ApiError)) throw err;
  const field = (err.details as { field?: string } | undefined)?.field;
  job.fail({ row, ...(field ? { field } : {}), message: err.message });
}

export const mappingSchema = z.record(z.string().min(1).max(200), z.string().min(1).max(100));
