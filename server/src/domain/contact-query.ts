// The one compiler from { q, filter, sort } to a Kysely query over the caller's visible contacts, plus
// the segments a page walks (contact-paging.ts pages them, contact-count.ts counts). Routes (query, count, bulk,
// export) all go through here so they agree on what "matching" means and in what order.
import { expressionBuilder, sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { CustomFieldRow, Database } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { invalidFilter, resolveField, type Cond, type FilterCtx } from './contact-filter-fields.js';
import { visibleTo } from './contacts.js';

export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { field: string; op: string; value?: unknown };

/** Shape only; fields, operators and values are checked by the compiler, which knows the workspace's custom fields. */
export const filterSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(filterSchema).max(100) }).strict(),
    z.object({ or: z.array(filterSchema).max(100) }).strict(),
    z.object({ field: z.string().min(1).max(100), op: z.string().min(1).max(40), value: z.unknown().optional() }).strict(),
  ]),
);

export const sortSchema = z.object({ field: z.string().min(1).max(100), dir: z.enum(['asc', 'desc']).default('asc') }).strict();
export type SortInput = z.output<typeof sortSchema>;

export const contactQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    filter: filterSchema.optional(),
    sort: sortSchema.optional(),
    /** true: the restore bin (deleted, not merged) instead of live contacts. */
    deleted: z.boolean().optional(),
  })
  .strict();
export type ContactQueryInput = z.output<typeof contactQuerySchema>;

export const DEFAULT_SORT: SortInput = { field: 'createdAt', dir: 'desc' };
const MAX_DEPTH = 6;
const MAX_NODES = 200;
const FEW_HITS = 5_000;

interface SortDef {
  /** The ordered expression: a plain (or generated) indexed column, so the (key, id) row-value seek uses the index. */
  expr: RawBuilder<unknown>;
  kind: 'number' | 'text';
}

const SORTS: Record<string, SortDef> = {
  name: { expr: sql`contacts.name_sort`, kind: 'text' },
  createdAt: { expr: sql`contacts.created_at`, kind: 'number' },
  updatedAt: { expr: sql`contacts.updated_at`, kind: 'number' },
  // Generated columns (migration 003): lower(display_name), and last interaction with never as -1.
  lastInteractionAt: { expr: sql`contacts.last_interaction_sort`, kind: 'number' },
};

/** Lets another module add a sort (e.g. last accessed) without touching the compiler. */
export function registerSort(name: string, def: SortDef): void {
  SORTS[name] = def;
}

/** Sort fields a client may use: the built-ins plus `custom.<key>` for every custom field. */
export const sortFieldNames = (customKeys: string[]) => [...Object.keys(SORTS), ...customKeys.map((k) => `custom.${k}`)];

/** A built-in sort, or the custom field a `custom.<key>` sort reads (400 `invalid_filter` otherwise). */
function resolveSort(sort: SortInput, customFields: Map<string, CustomFieldRow>): SortDef | CustomFieldRow {
  if (Object.hasOwn(SORTS, sort.field)) return SORTS[sort.field]!;
  const field = sort.field.startsWith('custom.') ? customFields.get(sort.field.slice(7)) : undefined;
  if (!field) throw invalidFilter('sort.field', `Cannot sort by "${sort.field}".`);
  return field;
}

/** Tokens AND-ed, each a prefix. A phone-looking query ("+1 (415) 555-0100") becomes one digits token. */
export function ftsQuery(q: string): string | null {
  const digits = q.replace(/\D/g, '');
  if (/^[\s\d()+.\-/]+$/.test(q) && digits.length >= 3) return `"${digits}"*`;
  const tokens = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.length ? tokens.slice(0, 12).map((t) => `"${t}"*`).join(' AND ') : null;
}

function compileNode(node: FilterNode, path: string, depth: number, ctx: Omit<FilterCtx, 'path'>, fields: Map<string, CustomFieldRow>, budget: { nodes: number }): Cond {
  if (++budget.nodes > MAX_NODES) throw invalidFilter(path, `A filter can have at most ${MAX_NODES} conditions.`);
  if (depth > MAX_DEPTH) throw invalidFilter(path, `Filters nest at most ${MAX_DEPTH} levels deep.`);
  if ('and' in node || 'or' in node) {
    const [key, list] = 'and' in node ? (['and', node.and] as const) : (['or', node.or] as const);
    if (list.length === 0) return key === 'and' ? sql<SqlBool>`1` : sql<SqlBool>`0`;
    const parts = list.map((child, i) => compileNode(child, `${path}.${key}[${i}]`, depth + 1, ctx, fields, budget));
    return sql<SqlBool>`(${sql.join(parts, key === 'and' ? sql` AND ` : sql` OR `)})`;
  }
  const def = resolveField(node.field, fields, path);
  const op = Object.hasOwn(def.ops, node.op) ? def.ops[node.op] : undefined;
  if (!op) {
    throw invalidFilter(`${path}.op`, `"${node.field}" has no operator "${node.op}"; use one of: ${Object.keys(def.ops).join(', ')}.`);
  }
  return op(node.value, { ...ctx, path });
}

type Dir = 'asc' | 'desc';
export type SortKey = number | string;
export interface KeyedRow {
  id: string;
  sort_key: SortKey;
}

/**
 * One run of the display order, walked by keyset on (key, id). A built-in sort is one segment; a custom-field sort
 * is two: the contacts with a value (walking the field's value index), then those without (by id) — so empty
 * values come last in both directions.
 */
export interface Segment {
  /** Rows in `dir` order, strictly after `from` in that order if given; `offset` skips rows (position seeks). */
  rows(dir: Dir, opts: { from?: { v: SortKey; id: string }; limit: number; offset?: number }): Promise<KeyedRow[]>;
  count(): Promise<number>;
}

export interface CompiledQuery {
  /** Matching contacts (visibility, bin or live, search, filter); select what you need. */
  base(): SelectQueryBuilder<Database, 'contacts', {}>;
  sort: SortInput;
  /** The type of the sort key (custom sorts: of the value segment). */
  kind: 'number' | 'text';
  segments: Segment[];
  workspaceId: string;
  deleted: boolean;
  /** Anything beyond "every live contact of the workspace": search, filter or a member restricted to assigned. */
  narrowed: boolean;
  /** A search with at most FEW_HITS index hits: counting exactly costs at most that many lookups. */
  fewHits: boolean;
  /** The FTS5 query of `q`, if any. */
  match: string | null;
  /** Identifies what matches (not the order): the key of cached counts. */
  matchKey: string;
}

async function customFieldsOf(db: Db, workspaceId: string) {
  const rows = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
  return new Map(rows.map((f) => [f.key, f]));
}

const flip = (dir: Dir) => sql.raw(dir);
/** (key, id) strictly after `from` in `dir` order: a row-value comparison SQLite seeks an index with. */
const after = (key: RawBuilder<unknown>, id: RawBuilder<unknown>, dir: Dir, from: { v: SortKey; id: string }, collate = sql``) =>
  dir === 'asc' ? sql<SqlBool>`(${key}, ${id}) > (${from.v}${collate}, ${from.id})` : sql<SqlBool>`(${key}, ${id}) < (${from.v}${collate}, ${from.id})`;

type AnyQuery = SelectQueryBuilder<any, any, KeyedRow>;
const run = (query: AnyQuery, limit: number, offset = 0) => query.limit(limit).offset(offset).execute();
const countOf = async (db: Db, query: SelectQueryBuilder<any, any, {}>) =>
  Number((await db.selectFrom(query.select(sql.lit(1).as('one')).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Validates and compiles; bad fields, operators or values answer 400 `invalid_filter` with `details.path`. */
export async function compileContactQuery(db: Db, caller: Caller, input: ContactQueryInput, now: number): Promise<CompiledQuery> {
  const fields = await customFieldsOf(db, caller.workspace.id);
  const sort = input.sort ?? DEFAULT_SORT;
  const sorted = resolveSort(sort, fields);
  const ctx = { now, region: caller.workspace.defaultRegion, workspaceId: caller.workspace.id };
  const filter = input.filter ? compileNode(input.filter, 'filter', 0, ctx, fields, { nodes: 0 }) : null;
  const match = input.q ? ftsQuery(input.q) : null;
  const deleted = input.deleted === true;
  // Few search hits: look them up by rowid and sort them. Many: walk the sort index and test each entry against
  // the hit set (the unary + stops SQLite from choosing the rowid lookups), so the first page stops early.
  const hits = match
    ? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${match} LIMIT ${FEW_HITS + 1})`.execute(db)).rows[0]!.n)
    : 0;
  const fewHits = Boolean(match) && hits <= FEW_HITS;
  const hitSet = sql`(SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${match})`;
  const conds: Expression<SqlBool>[] = [
    visibleTo(caller)(expressionBuilder<Database, 'contacts'>()),
    deleted ? sql<SqlBool>`contacts.deleted_at IS NOT NULL AND contacts.merged_into_id IS NULL` : sql<SqlBool>`contacts.deleted_at IS NULL`,
    ...(!match ? [] : [fewHits ? sql<SqlBool>`contacts.rowid IN ${hitSet}` : sql<SqlBool>`+contacts.rowid IN ${hitSet}`]),
    ...(filter ? [filter] : []),
  ];
  const base = () => conds.reduce((query, cond) => query.where(cond), db.selectFrom('contacts'));
  const restricted = caller.kind === 'member' && caller.member.restrict_to_assigned;
  return {
    sort,
    kind: 'kind' in sorted ? sorted.kind : ['number', 'date', 'checkbox'].includes(sorted.type) ? 'number' : 'text',
    segments: 'kind' in sorted ? [builtinSegment(db, base, sorted.expr)] : customSegments(db, base, conds, sorted, fewHits),
    workspaceId: caller.workspace.id,
    deleted,
    narrowed: Boolean(match || filter || restricted),
    fewHits,
    match,
    matchKey: JSON.stringify([caller.workspace.id, restricted ? caller.member.id : null, deleted, match, input.filter ?? null]),
    base,
  };
}

function builtinSegment(db: Db, base: () => SelectQueryBuilder<Database, 'contacts', {}>, expr: RawBuilder<unknown>): Segment {
  return {
    rows(dir, { from, limit, offset }) {
      let query = base().select(['contacts.id', sql<SortKey>`${expr}`.as('sort_key')]);
      if (from) query = query.where(after(expr, sql`contacts.id`, dir, from));
      return run(query.orderBy(sql`${expr} ${flip(dir)}`).orderBy(sql`contacts.id ${flip(dir)}`), limit, offset);
    },
    count: () => countOf(db, base()),
  };
}

/** Contacts with a value in value-index order, then contacts without one by id. */
function customSegments(db: Db, base: () => SelectQueryBuilder<Database, 'contacts', {}>, conds: Expression<SqlBool>[], field: CustomFieldRow, fewHits: boolean): Segment[] {
  const numeric = ['number', 'date', 'checkbox'].includes(field.type);
  const key = numeric ? sql`v.value_num` : sql`v.value_text`;
  const collate = numeric ? sql`` : sql` COLLATE NOCASE`;
  // Walk the field's value index and check each contact (CROSS JOIN fixes that order), unless a small search hit
  // set is the cheaper driver; then SQLite picks the join order and sorts the hits.
  const valued = () => {
    const values = db.selectFrom('contact_field_values as v');
    const joined = fewHits ? values.innerJoin('contacts', 'contacts.id', 'v.contact_id') : values.crossJoin('contacts').whereRef('contacts.id', '=', 'v.contact_id');
    return conds.reduce((query, cond) => query.where(cond), joined.where('v.field_id', '=', field.id));
  };
  const empty = () => base().where(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM contact_field_values v WHERE v.contact_id = contacts.id AND v.field_id = ${field.id})`);
  return [
    {
      rows(dir, { from, limit, offset }) {
        let query = valued().select(['contacts.id', sql<SortKey>`${key}`.as('sort_key')]);
        if (from) query = query.where(after(key, sql`v.contact_id`, dir, from, collate));
        return run(query.orderBy(sql`${key}${collate} ${flip(dir)}`).orderBy(sql`v.contact_id ${flip(dir)}`), limit, offset);
      },
      count: () => countOf(db, valued()),
    },
    {
      rows(dir, { from, limit, offset }) {
        let query = empty().select(['contacts.id', 'contacts.id as sort_key']);
        if (from) query = query.where(dir === 'asc' ? sql<SqlBool>`contacts.id > ${from.id}` : sql<SqlBool>`contacts.id < ${from.id}`);
        return run(query.orderBy(sql`contacts.id ${flip(dir)}`), limit, offset);
      },
      count: () => countOf(db, empty()),
    },
  ];
}
