// CSV for the contact table: column catalogue and cell escaping (RFC 4180 plus spreadsheet-formula neutralizing).
// Each column is one SQL expression over the contact's own row, so an export chunk is a single statement, plus a
// writer from the selected value to the cell; values that repeat are formatted once per export.
import { sql, type RawBuilder } from 'kysely';
import type { CustomFieldRow } from '../db/schema.js';

const RISKY = /^[=+\-@\t\r]|[",\r\n]/;

/** Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Most cells need nothing: one test decides.
  if (!RISKY.test(text)) return text;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

export interface ExportCtx {
  memberNames: Map<string, string>;
  /** The workspace's tags with their place in name order (NOCASE, as the API lists a contact's tags). */
  tags: Map<string, { name: string; rank: number }>;
}

/** From a selected value to its CSV cell (escaped). */
type Writer = (value: unknown) => string;

export interface Column {
  header: string;
  /** One SQL expression over `contacts`; SQLite picks list values out of `contacts.cells` (C, not JS). */
  select: RawBuilder<unknown>;
  /** Makes the column's writer once per export; default: csvCell. */
  writer?: (ctx: ExportCtx) => Writer;
}

/**
 * Remembers the cells of values that repeat (owners, tag sets, select options): an export formats each once.
 * Bounded, so free-text values cannot grow it without limit.
 */
function memo(format: (value: unknown) => string, max = 10_000): Writer {
  let cells = new Map<unknown, string>();
  return (value) => {
    if (value === null || value === undefined) return '';
    let cell = cells.get(value);
    if (cell === undefined) {
      if (cells.size >= max) cells = new Map();
      cells.set(value, (cell = format(value)));
    }
    return cell;
  };
}

const iso: Writer = (ms) => (ms === null || ms === undefined ? '' : new Date(ms as number).toISOString());
const col = (header: string, select: RawBuilder<unknown>, writer?: Column['writer']): Column => ({ header, select, writer });

// Emails, phones, tags and custom values come from the contact's own row (`contacts.cells`, kept by triggers,
// migration 007): { e: emails, pe: primary email, p: phones, pp: primary phone, t: tag ids, c: { fieldId: value } }.
const cell = (path: string) => sql`contacts.cells ->> ${path}`;
const json = (path: string) => sql`contacts.cells -> ${path}`;
const joined = () => memo((text) => csvCell((JSON.parse(text as string) as string[]).join('; ')));

function tagsWriter(ctx: ExportCtx): Writer {
  // Tags may be renamed during a long export: start over when the export re-reads a changed tag list.
  let seen = ctx.tags;
  let write = memo(names);
  function names(text: unknown) {
    const tags = (JSON.parse(text as string) as string[]).flatMap((id) => ctx.tags.get(id) ?? []);
    return csvCell(tags.sort((a, b) => a.rank - b.rank).map((t) => t.name).join('; '));
  }
  return (text) => {
    if (seen !== ctx.tags) [seen, write] = [ctx.tags, memo(names)];
    return write(text);
  };
}

const COLUMNS: Record<string, Column> = {
  id: col('ID', sql`contacts.id`),
  name: col('Name', sql`contacts.display_name`),
  firstName: col('First name', sql`contacts.first_name`),
  lastName: col('Last name', sql`contacts.last_name`),
  companyName: col('Company', sql`contacts.company_name`),
  email: col('Email', cell('$.pe')),
  emails: col('Emails', json('$.e'), joined),
  phone: col('Phone', cell('$.pp')),
  phones: col('Phones', json('$.p'), joined),
  tags: col('Tags', json('$.t'), tagsWriter),
  ownerId: col('Owner ID', sql`contacts.owner_id`),
  owner: col('Owner', sql`contacts.owner_id`, (ctx) => memo((id) => csvCell(ctx.memberNames.get(id as string) ?? ''))),
  website: col('Website', sql`contacts.website`),
  source: col('Source', sql`contacts.source`),
  'address.line1': col('Address', sql`contacts.address ->> '$.line1'`),
  'address.city': col('City', sql`contacts.address ->> '$.city'`),
  'address.region': col('Region', sql`contacts.address ->> '$.region'`),
  'address.postalCode': col('Postal code', sql`contacts.address ->> '$.postalCode'`),
  'address.country': col('Country', sql`contacts.address ->> '$.country'`),
  lastChannel: col('Last channel', sql`contacts.last_channel`),
  lastInteractionAt: col('Last interaction', sql`contacts.last_interaction_at`, () => iso),
  lastAccessedAt: col('Last accessed', sql`contacts.last_accessed_at`, () => iso),
  accessCount: col('Access count', sql`contacts.access_count`),
  createdAt: col('Created', sql`contacts.created_at`, () => iso),
  updatedAt: col('Updated', sql`contacts.updated_at`, () => iso),
  deletedAt: col('Deleted', sql`contacts.deleted_at`, () => iso),
};

/** A custom field's value (JSON text), as the API shows it; lists joined like tags. */
function customCell(text: unknown): string {
  const value = JSON.parse(text as string) as unknown;
  return csvCell(Array.isArray(value) ? value.join('; ') : value);
}

export const exportColumnNames = (customKeys: string[]) => [...Object.keys(COLUMNS), ...customKeys.map((k) => `custom.${k}`)];

export const DEFAULT_EXPORT_COLUMNS = ['name', 'email', 'phone', 'companyName', 'tags', 'owner', 'createdAt'];

/** Resolves column keys (built-in or `custom.<key>`); unknown ones are reported by index. */
export function resolveColumns(keys: string[], fields: Map<string, CustomFieldRow>): { columns: Column[]; unknown: number } {
  const columns: Column[] = [];
  for (const [i, key] of keys.entries()) {
    if (Object.hasOwn(COLUMNS, key)) columns.push(COLUMNS[key]!);
    else if (key.startsWith('custom.') && fields.has(key.slice(7))) {
      const field = fields.get(key.slice(7))!;
      columns.push(col(field.label, json(`$.c.${JSON.stringify(field.id)}`), () => memo(customCell)));
    } else return { columns, unknown: i };
  }
  return { columns, unknown: -1 };
}

/** The columns' writers for one export. */
export const writersOf = (columns: Column[], ctx: ExportCtx): Writer[] => columns.map((c) => (c.writer ? c.writer(ctx) : csvCell));

/** CSV text of one chunk of rows: arrays of id, sort key, then the columns' values. */
export function csvRows(rows: unknown[][], writers: Writer[]): string {
  let text = '';
  for (const row of rows) {
    let line = writers[0]!(row[2]);
    for (let i = 1; i < writers.length; i++) line += ',' + writers[i]!(row[i + 2]);
    text += line + '\r\n';
  }
  return text;
}
