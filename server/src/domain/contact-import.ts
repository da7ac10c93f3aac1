// CSV import: each row mapped to contact fields, validated by the same schema and rules as the API, matched
// against existing contacts by email or phone (skip | update | create), with a per-row report.
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { CustomFieldRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { issuePaths } from '../http/validate.js';
import { yieldToEventLoop, type JobProgress } from './bulk-jobs.js';
import { contactCreateSchema, type ContactCreateInput } from './contact-input.js';
import { normalizePhone } from './contact-rules.js';
import { getVisibleContact, insertContact, updateContact, visibleTo } from './contacts.js';

export const DEDUPE_MODES = ['skip', 'update', 'create'] as const;
export type DedupeMode = (typeof DEDUPE_MODES)[number];

const SCALARS = ['firstName', 'lastName', 'companyName', 'website', 'source'] as const;
const ADDRESS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
/** Targets a CSV column can map to; several columns may map to email or phone. */
export const IMPORT_TARGETS = [...SCALARS, 'email', 'phone', 'tags', ...ADDRESS.map((p) => `address.${p}`)] as const;

// Small enough that other requests (which wait for the connection) are held up well under a second.
const CHUNK = 100;

/** Checks the mapping against the workspace's fields; unknown targets answer 400 at `mapping.<column>`. */
export function checkMapping(mapping: Record<string, string>, fields: Map<string, CustomFieldRow>) {
  for (const [column, target] of Object.entries(mapping)) {
    const known = (IMPORT_TARGETS as readonly string[]).includes(target) || (target.startsWith('custom.') && fields.has(target.slice(7)));
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

/** One CSV record → create input (only non-empty cells). */
export function rowToInput(record: Record<string, string>, mapping: Record<string, string>, fields: Map<string, CustomFieldRow>): ContactCreateInput {
  const input: Record<string, unknown> = {};
  const emails: { value: string }[] = [];
  const phones: { value: string }[] = [];
  const address: Record<string, string> = {};
  const custom: Record<string, unknown> = {};
  for (const [column, target] of Object.entries(mapping)) {
    const raw = record[column]?.trim();
    if (!raw) continue;
    if (target === 'email') emails.push(...list(raw).map((value) => ({ value })));
    else if (target === 'phone') phones.push(...raw.split(/[;]/).map((v) => v.trim()).filter(Boolean).map((value) => ({ value })));
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

/** The first visible live contact sharing one of the row's emails or phones. */
async function findMatch(db: Db, caller: Caller, input: ContactCreateInput): Promise<string | null> {
  const emails = (input.emails ?? []).map((e) => e.value.trim().toLowerCase());
  const phones = (input.phones ?? []).flatMap((p) => normalizePhone(p.value, caller.workspace.defaultRegion) ?? []);
  if (!emails.length && !phones.length) return null;
  // Candidates straight from the value indexes first: a single query with IN-subqueries let SQLite walk every
  // contact in created order instead (quadratic over an import).
  const ws = caller.workspace.id;
  const candidates = [
    ...(emails.length ? await db.selectFrom('contact_emails').select('contact_id').where('workspace_id', '=', ws).where('value', 'in', emails).execute() : []),
    ...(phones.length ? await db.selectFrom('contact_phones').select('contact_id').where('workspace_id', '=', ws).where('value', 'in', phones).execute() : []),
  ].map((r) => r.contact_id);
  if (!candidates.length) return null;
  const row = await db
    .selectFrom('contacts')
    .select('contacts.id')
    .where('contacts.id', 'in', [...new Set(candidates)])
    .where(visibleTo(caller))
    .where('contacts.deleted_at', 'is', null)
    .orderBy('contacts.created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Update mode fills in what the row has: scalars overwrite, emails / phones / tags are added, custom values set. */
async function updateFromRow(db: Db, caller: Caller, id: string, input: ContactCreateInput, now: number) {
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
    patch.phones = [
      ...current.phones.map((p) => ({ value: p.value, label: p.label, primary: p.primary })),
      ...input.phones.filter((p) => !have.has(normalizePhone(p.value, caller.workspace.defaultRegion) ?? p.value)),
    ];
  }
  if (input.tags) patch.tags = [...current.tags, ...input.tags];
  if (input.address) patch.address = { ...(current.address ?? {}), ...input.address };
  await updateContact(db, caller, id, patch, now);
}

export interface ImportOptions {
  mapping: Record<string, string>;
  dedupe: DedupeMode;
  fields: Map<string, CustomFieldRow>;
}

/** Streams the CSV through the parser (constant memory) and imports it in chunks, saving progress per chunk. */
export async function importCsv(db: Db, caller: Caller, body: Readable, opts: ImportOptions, job: JobProgress, now: () => number) {
  const parser = body.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, skip_records_with_empty_values: true, relax_column_count: true, max_record_size: 1_000_000 }),
  );
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

/** One transaction per chunk (fast); a savepoint per row undoes just that row when it breaks a rule. */
async function importChunk(db: Db, caller: Caller, batch: { row: number; record: Record<string, string> }[], opts: ImportOptions, job: JobProgress, now: number) {
  const updates: { row: number; id: string; input: ContactCreateInput }[] = [];
  await db.transaction().execute(async (trx) => {
    for (const { row, record } of batch) {
      job.total = row;
      const parsed = contactCreateSchema.safeParse(rowToInput(record, opts.mapping, opts.fields));
      if (!parsed.success) {
        issuePaths(parsed.error.issues).forEach((issue, i) => (i ? job.note : job.fail).call(job, { row, field: issue.path, message: issue.message }));
        continue;
      }
      const match = opts.dedupe === 'create' ? null : await findMatch(trx, caller, parsed.data);
      if (match && opts.dedupe === 'skip') {
        job.bump('skipped');
        job.ok();
      } else if (match) {
        updates.push({ row, id: match, input: parsed.data }); // updateContact runs its own transaction, after this one
      } else {
        await sql`SAVEPOINT import_row`.execute(trx);
        try {
          await insertContact(trx, caller, { ...parsed.data, source: parsed.data.source ?? 'import' }, now);
          await sql`RELEASE import_row`.execute(trx);
          job.bump('created');
          job.ok();
        } catch (err) {
          await sql`ROLLBACK TO import_row`.execute(trx);
          await sql`RELEASE import_row`.execute(trx);
          rowFailed(job, row, err);
        }
      }
    }
  });
  for (const { row, id, input } of updates) {
    try {
      await updateFromRow(db, caller, id, input, now);
      job.bump('updated');
      job.ok();
    } catch (err) {
      rowFailed(job, row, err);
    }
  }
  await job.save();
  await yieldToEventLoop();
}

function rowFailed(job: JobProgress, row: number, err: unknown) {
  if (!(err instanceof ApiError)) throw err;
  const field = (err.details as { field?: string } | undefined)?.field;
  job.fail({ row, ...(field ? { field } : {}), message: err.message });
}

export const mappingSchema = z.record(z.string().min(1).max(200), z.string().min(1).max(100));
