// CSV for the contact table: column catalogue and cell escaping (RFC 4180 plus spreadsheet-formula neutralizing).
// Each column is one SQL expression over `contacts` (children aggregated by correlated subqueries), so an export
// chunk is a single query, plus a small function from the selected value to the cell.
import { sql, type RawBuilder } from 'kysely';
import type { CustomFieldRow } from '../db/schema.js';
import type { Address } from './contacts.js';

/** Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

export interface ExportCtx {
  memberNames: Map<string, string>;
  /** The workspace's tags with their place in name order (NOCASE, as the API lists a contact's tags). */
  tags: Map<string, { name: string; rank: number }>;
}

export interface Column {
  header: string;
  select: RawBuilder<unknown>;
  /** The cell from the selected value; default: the value itself. */
  cell?: (value: unknown, ctx: ExportCtx) => unknown;
}

const iso = (ms: unknown) => (ms === null ? '' : new Date(ms as number).toISOString());
const col = (header: string, select: RawBuilder<unknown>, cell?: Column['cell']): Column => ({ header, select, cell });

// Emails, phones, tags and custom values come from the contact's own row (`contacts.cells`, kept by triggers,
// migration 007): one row read per contact instead of ~7 seeks into child indexes keyed by random ids.
interface Cells {
  e: string[];
  pe: string | null;
  p: string[];
  pp: string | null;
  t: string[];
  c: Record<string, unknown> | null;
}
const EMPTY: Cells = { e: [], pe: null, p: [], pp: null, t: [], c: null };
// Several columns read the same row's cells: parse each row's JSON once.
let lastText: unknown = null;
let lastCells = EMPTY;
function cellsOf(text: unknown): Cells {
  if (text !== lastText) {
    lastText = text;
    lastCells = typeof text === 'string' ? (JSON.parse(text) as Cells) : EMPTY;
  }
  return lastCells;
}
const cells = sql`contacts.cells`;
function tagNames(ids: string[], ctx: ExportCtx): string {
  const tags = ids.flatMap((id) => ctx.tags.get(id) ?? []);
  return tags.sort((a, b) => a.rank - b.rank).map((t) => t.name).join('; ');
}
const addressPart = (part: keyof Address) => (json: unknown) => (json ? (JSON.parse(json as string) as Address)[part] : undefined);

const COLUMNS: Record<string, Column> = {
  id: col('ID', sql`contacts.id`),
  name: col('Name', sql`contacts.display_name`),
  firstName: col('First name', sql`contacts.first_name`),
  lastName: col('Last name', sql`contacts.last_name`),
  companyName: col('Company', sql`contacts.company_name`),
  email: col('Email', cells, (v) => cellsOf(v).pe),
  emails: col('Emails', cells, (v) => cellsOf(v).e.join('; ')),
  phone: col('Phone', cells, (v) => cellsOf(v).pp),
  phones: col('Phones', cells, (v) => cellsOf(v).p.join('; ')),
  tags: col('Tags', cells, (v, ctx) => tagNames(cellsOf(v).t, ctx)),
  ownerId: col('Owner ID', sql`contacts.owner_id`),
  owner: col('Owner', sql`contacts.owner_id`, (id, ctx) => (id ? ctx.memberNames.get(id as string) ?? '' : '')),
  website: col('Website', sql`contacts.website`),
  source: col('Source', sql`contacts.source`),
  'address.line1': col('Address', sql`contacts.address`, addressPart('line1')),
  'address.city': col('City', sql`contacts.address`, addressPart('city')),
  'address.region': col('Region', sql`contacts.address`, addressPart('region')),
  'address.postalCode': col('Postal code', sql`contacts.address`, addressPart('postalCode')),
  'address.country': col('Country', sql`contacts.address`, addressPart('country')),
  lastChannel: col('Last channel', sql`contacts.last_channel`),
  lastInteractionAt: col('Last interaction', sql`contacts.last_interaction_at`, iso),
  lastAccessedAt: col('Last accessed', sql`contacts.last_accessed_at`, iso),
  accessCount: col('Access count', sql`contacts.access_count`, (n) => n ?? 0),
  createdAt: col('Created', sql`contacts.created_at`, iso),
  updatedAt: col('Updated', sql`contacts.updated_at`, iso),
  deletedAt: col('Deleted', sql`contacts.deleted_at`, iso),
};

/** A custom field's value, as the API shows it; lists joined like tags. */
function customCell(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join('; ') : value;
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
      columns.push(col(field.label, cells, (v) => customCell(cellsOf(v).c?.[field.id])));
    } else return { columns, unknown: i };
  }
  return { columns, unknown: -1 };
}

/** CSV text of one chunk of rows: arrays of id, sort key, then the columns' expressions. */
export function csvRows(rows: unknown[][], columns: Column[], ctx: ExportCtx): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const { cell } = columns[i]!;
      const value = row[i + 2];
      text += (i ? ',' : '') + csvCell(cell ? cell(value, ctx) : value);
    }
    text += '\r\n';
  }
  return text;
}
