// CSV for the contact table: column catalogue and cell escaping (RFC 4180 plus spreadsheet-formula neutralizing).
// Each column is an SQL expression over the contact's own row or a path into its `cells` (all paths read as one
// JSON array), so an export chunk is a single statement, plus a writer from the value to the cell; values that
// repeat are formatted once per export.
import { sql, type RawBuilder } from 'kysely';
import type { Engine } from '../db/engine/index.js';
import type { CustomFieldRow } from '../db/schema.js';

// Fast path: a cell with none of these needs nothing. `;` is the list separator of Excel in many locales (German,
// French…): a cell holding one is quoted too, or such an Excel splits it and may run what follows.
const RISKY = /^[=+\-@\t\r]|[",;\r\n]/;
const QUOTE = /[",;\r\n]/;
/** What a spreadsheet runs as a formula when a cell (or a piece of one, split at a separator) starts with it. */
const TRIGGER = /^[=+\-@\t\r]/;
/** A leading + or - before a number or a phone number ("+12136581625", "-42") is a value, not a formula. */
const NUMBER_LIKE = /^[+-]\d[\d\s().-]*$/;
/** A piece right after a separator (a split point for a spreadsheet that ignores the quotes) up to the next one. */
const AFTER_SEPARATOR = /([,;\r\n])([=+\-@\t][^,;\r\n]*)/g;

const runs = (piece: string) => TRIGGER.test(piece) && !NUMBER_LIKE.test(piece);

/**
 * One CSV cell: quoted when it holds a quote, a comma, a semicolon or a line break; a leading apostrophe on what a
 * spreadsheet would evaluate (=, +, -, @, tab, CR — but not a phone number or a negative number), at the start and
 * after any separator inside the cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Most cells need nothing: one test decides.
  if (!RISKY.test(text)) return text;
  text = text.replace(AFTER_SEPARATOR, (whole, separator: string, piece: string) => (runs(piece) ? `${separator}'${piece}` : whole));
  // The first piece: its first character whatever it is (a leading CR is a trigger), up to the next separator.
  if (runs(/^[\s\S][^,;\r\n]*/.exec(text)![0])) text = `'${text}`;
  return QUOTE.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
  /** An SQL expression over `contacts` (for the engine it runs on), or */
  select?: (engine: Engine) => RawBuilder<unknown>;
  /** a JSON path (keys) into `contacts.cells`: one expression picks all of an export's paths (one row read and JSON parse). */
  path?: string[];
  /** Makes the column's writer once per export; default: csvCell. It gets the selected value, or the path's value parsed. */
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
const col = (header: string, select: RawBuilder<unknown>, writer?: Column['writer']): Column => ({ header, select: () => select, writer });
const address = (header: string, key: string): Column => ({ header, select: (engine) => engine.json.text('contacts.address', [key]) });
const cell = (header: string, path: string[], writer?: Column['writer']): Column => ({ header, path, writer });

// Emails, phones, tags and custom values come from the contact's own row (`contacts.cells`, kept by triggers,
// migration 007): { e: emails, pe: primary email, p: phones, pp: primary phone, t: tag ids, c: { fieldId: value } }.
const joined = () => (list: unknown) => (list ? csvCell((list as string[]).join('; ')) : '');

function tagsWriter(ctx: ExportCtx): Writer {
  // Tags may be renamed during a long export: start over when the export re-reads a changed tag list.
  let seen = ctx.tags;
  let write = memo(names);
  function names(key: unknown) {
    const tags = (key as string).split(',').flatMap((id) => ctx.tags.get(id) ?? []);
    return csvCell(tags.sort((a, b) => a.rank - b.rank).map((t) => t.name).join('; '));
  }
  return (ids) => {
    if (seen !== ctx.tags) [seen, write] = [ctx.tags, memo(names)];
    return (ids as string[] | null)?.length ? write((ids as string[]).join(',')) : '';
  };
}

/** A share-link viewer's gate channel as the table's Type column names it. */
const VIEWER_TYPES: Record<string, string> = { email: 'Email', whatsapp: 'WhatsApp' };

const COLUMNS: Record<string, Column> = {
  id: col('ID', sql`contacts.id`),
  name: col('Name', sql`contacts.display_name`),
  firstName: col('First name', sql`contacts.first_name`),
  lastName: col('Last name', sql`contacts.last_name`),
  companyName: col('Company', sql`contacts.company_name`),
  email: cell('Email', ['pe']),
  emails: cell('Emails', ['e'], joined),
  phone: cell('Phone', ['pp']),
  phones: cell('Phones', ['p'], joined),
  tags: cell('Tags', ['t'], tagsWriter),
  ownerId: col('Owner ID', sql`contacts.owner_id`),
  owner: col('Owner', sql`contacts.owner_id`, (ctx) => memo((id) => csvCell(ctx.memberNames.get(id as string) ?? ''))),
  team: col('Team', sql`(SELECT t.name FROM teams t WHERE t.id = contacts.team_id)`, () => memo(csvCell)),
  website: col('Website', sql`contacts.website`),
  source: col('Source', sql`contacts.source`),
  'address.line1': address('Address', 'line1'),
  'address.city': address('City', 'city'),
  'address.region': address('Region', 'region'),
  'address.postalCode': address('Postal code', 'postalCode'),
  'address.country': address('Country', 'country'),
  lastChannel: col('Last channel', sql`contacts.last_channel`),
  lastInteractionAt: col('Last interaction', sql`contacts.last_interaction_at`, () => iso),
  lastAccessedAt: col('Last accessed', sql`contacts.last_accessed_at`, () => iso),
  accessCount: col('Access count', sql`contacts.access_count`),
  viewerType: {
    header: 'Viewer type',
    select: (engine) =>
      sql`(SELECT ${engine.text.joined(sql`x.channel`, ';', sql`x.channel`)} FROM (SELECT DISTINCT channel FROM link_views v WHERE v.contact_id = contacts.id AND v.channel IS NOT NULL) x)`,
    writer: () => memo((list) => csvCell((list as string).split(';').map((ch) => VIEWER_TYPES[ch] ?? ch).join('; '))),
  },
  createdAt: col('Created', sql`contacts.created_at`, () => iso),
  updatedAt: col('Updated', sql`contacts.updated_at`, () => iso),
  deletedAt: col('Deleted', sql`contacts.deleted_at`, () => iso),
};

/** A custom field's value, as the API shows it; lists joined like tags (not remembered: an array is new each row). */
const customCell = (value: unknown): string => csvCell(Array.isArray(value) ? value.join('; ') : value);
const customWriter = () => {
  const scalar = memo(csvCell);
  return (value: unknown) => (Array.isArray(value) ? customCell(value) : scalar(value));
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
      columns.push(cell(field.label, ['c', field.id], customWriter));
    } else return { columns, unknown: i };
  }
  return { columns, unknown: -1 };
}

const paths = (columns: Column[]) => columns.flatMap((c) => (c.path ? [c.path] : []));

/** What an export selects after id and sort key: each column's expression, then (if any column reads cells) one JSON array of all the cells paths. */
export function selectsOf(columns: Column[], engine: Engine): RawBuilder<unknown>[] {
  const wanted = paths(columns);
  return [...columns.flatMap((c) => (c.select ? [c.select(engine)] : [])), ...(wanted.length ? [engine.json.cells(wanted)] : [])];
}

/** Writes one row (id, sort key, then selectsOf's values) as a CSV line, without the line break. */
export type RowWriter = (row: unknown[]) => string;

/** The columns' writers for one export, matching selectsOf's layout. */
export function rowWriter(columns: Column[], ctx: ExportCtx): RowWriter {
  const cellsAt = 2 + columns.filter((c) => c.select).length;
  // Every cells column of a row reads the same array: parse it once.
  let text: unknown = null;
  let values: unknown[] = [];
  // (SQLite answers JSON text, PostgreSQL's jsonb arrives parsed.)
  const parsed = (row: unknown[]) => {
    const raw = row[cellsAt];
    if (raw !== text) [text, values] = [raw, Array.isArray(raw) ? raw : typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : []];
    return values;
  };
  let plain = 2;
  let path = 0;
  const cells = columns.map((c): RowWriter => {
    const write = c.writer ? c.writer(ctx) : csvCell;
    if (c.select) {
      const at = plain++;
      return (row) => write(row[at]);
    }
    const at = path++;
    return (row) => write(parsed(row)[at]);
  });
  return (row) => {
    let line = cells[0]!(row);
    for (let i = 1; i < cells.length; i++) line += ',' + cells[i]!(row);
    return line;
  };
}

/** CSV text of one chunk of rows. */
export function csvRows(rows: unknown[][], write: RowWriter): string {
  let text = '';
  for (const row of rows) text += write(row) + '\r\n';
  return text;
}
