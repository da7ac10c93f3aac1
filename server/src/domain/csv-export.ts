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

// Same order as the API's lists: emails and phones by position. The first primary value, else the first.
const joined = (table: 'contact_emails' | 'contact_phones') =>
  sql`(SELECT group_concat(value, '; ' ORDER BY position) FROM ${sql.table(table)} WHERE contact_id = contacts.id)`;
const primary = (table: 'contact_emails' | 'contact_phones') =>
  sql`coalesce((SELECT value FROM ${sql.table(table)} WHERE contact_id = contacts.id AND is_primary = 1 ORDER BY position LIMIT 1),
    (SELECT value FROM ${sql.table(table)} WHERE contact_id = contacts.id ORDER BY position LIMIT 1))`;
// Tag ids only, named and ordered from ctx.tags: a join to tags and a sort per row cost a sixth of the export.
const tagIds = sql`(SELECT group_concat(tag_id, ' ') FROM contact_tags WHERE contact_id = contacts.id)`;
function tagNames(ids: unknown, ctx: ExportCtx): string {
  if (!ids) return '';
  const tags = (ids as string).split(' ').flatMap((id) => ctx.tags.get(id) ?? []);
  return tags.sort((a, b) => a.rank - b.rank).map((t) => t.name).join('; ');
}
const addressPart = (part: keyof Address) => (json: unknown) => (json ? (JSON.parse(json as string) as Address)[part] : undefined);

const COLUMNS: Record<string, Column> = {
  id: col('ID', sql`contacts.id`),
  name: col('Name', sql`contacts.display_name`),
  firstName: col('First name', sql`contacts.first_name`),
  lastName: col('Last name', sql`contacts.last_name`),
  companyName: col('Company', sql`contacts.company_name`),
  email: col('Email', primary('contact_emails')),
  emails: col('Emails', joined('contact_emails')),
  phone: col('Phone', primary('contact_phones')),
  phones: col('Phones', joined('contact_phones')),
  tags: col('Tags', tagIds, tagNames),
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

/** A custom field's stored JSON, as the API shows it; lists joined like tags. */
function customCell(json: unknown): unknown {
  if (json === null) return undefined;
  const value = JSON.parse(json as string) as unknown;
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
      const value = sql`(SELECT value_json FROM contact_field_values WHERE contact_id = contacts.id AND field_id = ${field.id})`;
      columns.push(col(field.label, value, customCell));
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
