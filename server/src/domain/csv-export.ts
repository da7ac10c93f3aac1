// CSV for the contact table: column catalogue and cell escaping (RFC 4180 plus spreadsheet-formula neutralizing).
import type { CustomFieldRow } from '../db/schema.js';
import type { ContactJson } from './contacts.js';

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
}

interface Column {
  header: string;
  get(c: ContactJson, ctx: ExportCtx): unknown;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const primary = (list: { value: string; primary: boolean }[]) => (list.find((e) => e.primary) ?? list[0])?.value ?? '';

const COLUMNS: Record<string, Column> = {
  id: { header: 'ID', get: (c) => c.id },
  name: { header: 'Name', get: (c) => c.name },
  firstName: { header: 'First name', get: (c) => c.firstName },
  lastName: { header: 'Last name', get: (c) => c.lastName },
  companyName: { header: 'Company', get: (c) => c.companyName },
  email: { header: 'Email', get: (c) => primary(c.emails) },
  emails: { header: 'Emails', get: (c) => c.emails.map((e) => e.value).join('; ') },
  phone: { header: 'Phone', get: (c) => primary(c.phones) },
  phones: { header: 'Phones', get: (c) => c.phones.map((p) => p.value).join('; ') },
  tags: { header: 'Tags', get: (c) => c.tags.join('; ') },
  ownerId: { header: 'Owner ID', get: (c) => c.ownerId },
  owner: { header: 'Owner', get: (c, ctx) => (c.ownerId ? ctx.memberNames.get(c.ownerId) ?? '' : '') },
  website: { header: 'Website', get: (c) => c.website },
  source: { header: 'Source', get: (c) => c.source },
  'address.line1': { header: 'Address', get: (c) => c.address?.line1 },
  'address.city': { header: 'City', get: (c) => c.address?.city },
  'address.region': { header: 'Region', get: (c) => c.address?.region },
  'address.postalCode': { header: 'Postal code', get: (c) => c.address?.postalCode },
  'address.country': { header: 'Country', get: (c) => c.address?.country },
  lastChannel: { header: 'Last channel', get: (c) => c.lastChannel },
  lastInteractionAt: { header: 'Last interaction', get: (c) => iso(c.lastInteractionAt) },
  lastAccessedAt: { header: 'Last accessed', get: (c) => iso(c.lastAccessedAt ?? null) },
  accessCount: { header: 'Access count', get: (c) => c.accessCount ?? 0 },
  createdAt: { header: 'Created', get: (c) => iso(c.createdAt) },
  updatedAt: { header: 'Updated', get: (c) => iso(c.updatedAt) },
  deletedAt: { header: 'Deleted', get: (c) => iso(c.deletedAt) },
};

export const exportColumnNames = (customKeys: string[]) => [...Object.keys(COLUMNS), ...customKeys.map((k) => `custom.${k}`)];

export const DEFAULT_EXPORT_COLUMNS = ['name', 'email', 'phone', 'companyName', 'tags', 'owner', 'createdAt'];

/** Resolves column keys (built-in or `custom.<key>`); unknown ones are reported by index. */
export function resolveColumns(keys: string[], fields: Map<string, CustomFieldRow>): { columns: Column[]; unknown: number } {
  const columns: Column[] = [];
  for (const [i, key] of keys.entries()) {
    if (Object.hasOwn(COLUMNS, key)) columns.push(COLUMNS[key]!);
    else if (key.startsWith('custom.') && fields.has(key.slice(7))) {
      const field = fields.get(key.slice(7))!;
      columns.push({
        header: field.label,
        get: (c) => {
          const v = c.customFields[field.key];
          return Array.isArray(v) ? v.join('; ') : v;
        },
      });
    } else return { columns, unknown: i };
  }
  return { columns, unknown: -1 };
}
