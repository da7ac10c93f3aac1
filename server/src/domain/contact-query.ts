// The one compiler from { q, filter, sort } to a Kysely query over the caller's visible contacts, plus keyset
// paging and counting. Routes (query, bulk, export) all go through here so they agree on what "matching" means.
import { sql, type CompiledQuery as KyselyCompiledQuery, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { CustomFieldRow, Database } from '../db/schema.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Caller } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { customValue, invalidFilter, resolveField, type Cond, type FilterCtx } from './contact-filter-fields.js';
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

function resolveSort(sort: SortInput, customFields: Map<string, CustomFieldRow>): SortDef {
  if (Object.hasOwn(SORTS, sort.field)) return SORTS[sort.field]!;
  const field = sort.field.startsWith('custom.') ? customFields.get(sort.field.slice(7)) : undefined;
  if (!field) throw invalidFilter('sort.field', `Cannot sort by "${sort.field}".`);
  if (field.type === 'number' || field.type === 'date' || field.type === 'checkbox') {
    return { expr: sql`coalesce(${customValue(field.id, 'value_num')}, -1.7976931348623157e308)`, kind: 'number' };
  }
  return { expr: sql`coalesce(${customValue(field.id, 'value_text')}, '') COLLATE NOCASE`, kind: 'text' };
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

export interface CompiledQuery {
  /** Matching contacts (visibility, bin or live, search, filter); select what you need. */
  base(): SelectQueryBuilder<Database, 'contacts', {}>;
  sort: SortInput;
  sortDef: SortDef;
  workspaceId: string;
  deleted: boolean;
  /** Anything beyond "every live contact of the workspace": search, filter or a member restricted to assigned. */
  narrowed: boolean;
  /** A search with at most FEW_HITS index hits: counting exactly costs at most that many lookups. */
  fewHits: boolean;
  /** The FTS5 query of `q`, if any. */
  match: string | null;
}

async function customFieldsOf(db: Db, workspaceId: string) {
  const rows = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
  return new Map(rows.map((f) => [f.key, f]));
}

/** Validates and compiles; bad fields, operators or values answer 400 `invalid_filter` with `details.path`. */
export async function compileContactQuery(db: Db, caller: Caller, input: ContactQueryInput, now: number): Promise<CompiledQuery> {
  const fields = await customFieldsOf(db, caller.workspace.id);
  const sort = input.sort ?? DEFAULT_SORT;
  const sortDef = resolveSort(sort, fields);
  const ctx = { now, region: caller.workspace.defaultRegion, workspaceId: caller.workspace.id };
  const filter = input.filter ? compileNode(input.filter, 'filter', 0, ctx, fields, { nodes: 0 }) : null;
  const match = input.q ? ftsQuery(input.q) : null;
  const deleted = input.deleted === true;
  // Few search hits: look them up by rowid and sort them. Many: walk the sort index and test each entry against
  // the hit set (the unary + stops SQLite from choosing the rowid lookups), so the first page stops early.
  const hits = match
    ? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${match} LIMIT ${FEW_HITS + 1})`.execute(db)).rows[0]!.n)
    : 0;
  const hitSet = sql`(SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${match})`;
  const searchCond = !match ? null : hits <= FEW_HITS ? sql<SqlBool>`contacts.rowid IN ${hitSet}` : sql<SqlBool>`+contacts.rowid IN ${hitSet}`;
  return {
    sort,
    sortDef,
    workspaceId: caller.workspace.id,
    deleted,
    narrowed: Boolean(match || filter || (caller.kind === 'member' && caller.member.restrict_to_assigned)),
    fewHits: Boolean(match) && hits <= FEW_HITS,
    match,
    base() {
      let query = db.selectFrom('contacts').where(visibleTo(caller));
      query = deleted
        ? query.where('contacts.deleted_at', 'is not', null).where('contacts.merged_into_id', 'is', null)
        : query.where('contacts.deleted_at', 'is', null);
      if (searchCond) query = query.where(searchCond);
      if (filter) query = query.where(filter);
      return query;
    },
  };
}

interface PageCursor {
  s: string;
  d: 'asc' | 'desc';
  v: number | string;
  id: string;
}
const isPageCursor = (v: unknown): v is PageCursor => {
  const c = v as PageCursor;
  return typeof c === 'object' && c !== null && typeof c.s === 'string' && (c.d === 'asc' || c.d === 'desc') &&
    (typeof c.v === 'number' || typeof c.v === 'string') && typeof c.id === 'string';
};

/** Rows strictly after the cursor in (sort key, id) order: a row-value comparison the sort index can seek to. */
function afterCursor(q: CompiledQuery, cursor: PageCursor): Cond {
  return q.sort.dir === 'asc'
    ? sql<SqlBool>`(${q.sortDef.expr}, contacts.id) > (${cursor.v}, ${cursor.id})`
    : sql<SqlBool>`(${q.sortDef.expr}, contacts.id) < (${cursor.v}, ${cursor.id})`;
}

export function parsePageCursor(q: CompiledQuery, raw: string | undefined): PageCursor | undefined {
  const cursor = decodeCursor(raw, isPageCursor);
  if (cursor && (cursor.s !== q.sort.field || cursor.d !== q.sort.dir || typeof cursor.v !== (q.sortDef.kind === 'number' ? 'number' : 'string'))) {
    throw badRequest('The cursor belongs to a different sort; start again without one.', { field: 'cursor' });
  }
  return cursor;
}

/** Matches after the cursor in (sort key, id) order, selecting the id and the sort key (for the next cursor). */
function keysetQuery(q: CompiledQuery, limit: number, cursor: PageCursor | undefined) {
  let query = q.base().select(['contacts.id', sql<number | string>`${q.sortDef.expr}`.as('sort_key')]);
  if (cursor) query = query.where(afterCursor(q, cursor));
  const dir = sql.raw(q.sort.dir);
  return query.orderBy(sql`${q.sortDef.expr} ${dir}`).orderBy(sql`contacts.id ${dir}`).limit(limit);
}

const cursorAfter = (q: CompiledQuery, last: { id: string; sort_key: number | string }): PageCursor => ({ s: q.sort.field, d: q.sort.dir, v: last.sort_key, id: last.id });

/** One keyset page of ids in sort order. */
export async function pageIds(q: CompiledQuery, limit: number, cursor: PageCursor | undefined) {
  const rows = await keysetQuery(q, limit + 1, cursor).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? cursorAfter(q, last) : null;
  return { ids: page.map((r) => r.id), next, nextCursor: next ? encodeCursor(next) : null };
}

/** Walks every match in chunks by keyset (never all ids in memory), yielding between chunks. */
export async function* matchingIdChunks(q: CompiledQuery, chunk = 500): AsyncGenerator<string[]> {
  let cursor: PageCursor | undefined;
  for (;;) {
    const page = await pageIds(q, chunk, cursor);
    if (page.ids.length) yield page.ids;
    if (!page.next) return;
    cursor = page.next;
  }
}

/** Rows as arrays: id, sort key, then the selected expressions. */
export type RawRow = [string, number | string, ...unknown[]];

/**
 * Like matchingIdChunks, with extra expressions selected (export: a whole CSV row per row). `run` executes each
 * chunk's statement to completion, so nothing stays open on the connection while the consumer waits.
 */
export async function* matchingRowChunks(q: CompiledQuery, select: RawBuilder<unknown>[], chunk: number, run: (query: KyselyCompiledQuery) => Promise<RawRow[]>) {
  let cursor: PageCursor | undefined;
  for (;;) {
    const rows = await run(keysetQuery(q, chunk, cursor).select(select.map((expr, i) => expr.as(`c${i}`))).compile());
    if (rows.length) yield rows;
    if (rows.length < chunk) return;
    const [id, key] = rows[rows.length - 1]!;
    cursor = cursorAfter(q, { id, sort_key: key });
  }
}

/** Up to this many live contacts, counting the matches exactly is cheap enough on every first page. */
const EXACT_WORKSPACE = 20_000;
const SAMPLE_RANGES = 20;
const SAMPLE_SPAN = 100;
const HIT_SAMPLE = 2_000;
const totals = new Map<string, { at: number; n: number }>();

/** All live contacts of a workspace, cached briefly: the denominator of estimates. */
async function workspaceTotal(db: Db, workspaceId: string): Promise<number> {
  const hit = totals.get(workspaceId);
  if (hit && Date.now() - hit.at < 30_000) return hit.n;
  const row = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  totals.set(workspaceId, { at: Date.now(), n: Number(row.n) });
  return Number(row.n);
}

/** Drops cached workspace totals (tests; after bulk loads). */
export function forgetWorkspaceTotals(): void {
  totals.clear();
}

async function exactCount(db: Db, q: CompiledQuery): Promise<number> {
  const row = await db.selectFrom(q.base().select(sql.lit(1).as('one')).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * How many contacts match. Exact for the restore bin, for small workspaces and when asked (`exact`); for a big
 * workspace with no search or filter, the (briefly cached) total; otherwise an estimate from a fixed sample —
 * SAMPLE_RANGES rowid ranges spread over the table — so the cost stays flat whatever the filter.
 * (A first page that is not full is counted by the caller: its length is the exact count.)
 */
export async function countMatches(db: Db, q: CompiledQuery, opts: { exact?: boolean } = {}): Promise<{ count: number; estimated: boolean }> {
  if (opts.exact || q.deleted) return { count: await exactCount(db, q), estimated: false };
  const total = await workspaceTotal(db, q.workspaceId);
  if (total <= EXACT_WORKSPACE) return { count: await exactCount(db, q), estimated: false };
  if (!q.narrowed) return { count: total, estimated: true };
  if (q.fewHits) return { count: await exactCount(db, q), estimated: false };
  if (q.match) {
    // Many search hits: all hits, times the share of a sample of them that passes the rest of the query.
    const all = await sql<{ n: number }>`SELECT count(*) AS n FROM contacts_fts WHERE contacts_fts MATCH ${q.match}`.execute(db);
    const passing = await db
      .selectFrom(q.base().where(sql<SqlBool>`contacts.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${q.match} LIMIT ${HIT_SAMPLE})`).select(sql.lit(1).as('one')).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const n = Number(all.rows[0]!.n);
    return { count: Math.round((n * Number(passing.n)) / Math.min(HIT_SAMPLE, n)), estimated: true };
  }
  const bounds = await db
    .selectFrom('contacts')
    .select((eb) => [eb.fn.min<number>(sql`rowid`).as('lo'), eb.fn.max<number>(sql`rowid`).as('hi')])
    .executeTakeFirstOrThrow();
  const lo = Number(bounds.lo);
  const step = Math.max(SAMPLE_SPAN, Math.floor((Number(bounds.hi) - lo) / SAMPLE_RANGES));
  const ranges = Array.from({ length: SAMPLE_RANGES }, (_, i) => sql`rowid BETWEEN ${lo + i * step} AND ${lo + i * step + SAMPLE_SPAN - 1}`);
  const sample = await db
    .selectFrom('contacts')
    .select(sql<number>`rowid`.as('r'))
    .where('workspace_id', '=', q.workspaceId)
    .where('deleted_at', 'is', null)
    .where(sql<SqlBool>`(${sql.join(ranges, sql` OR `)})`)
    .execute();
  if (!sample.length) return { count: await exactCount(db, q), estimated: false };
  // Driven from the sample: each sampled rowid is tested with an EXISTS keyed on rowid = s.value, so SQLite cannot
  // prefer scanning a million-row index that the filter happens to mention.
  const probe = q.base().select(sql.lit(1).as('one')).where(sql<SqlBool>`contacts.rowid = s.value`);
  const hitRows = await sql<{ n: number }>`SELECT count(*) AS n FROM json_each(${JSON.stringify(sample.map((r) => r.r))}) AS s WHERE EXISTS ${probe}`.execute(db);
  const hits = { n: hitRows.rows[0]!.n };
  const sampled = { n: sample.length };
  const rate = Number(sampled.n) ? Number(hits.n) / Number(sampled.n) : 0;
  return { count: Math.round(rate * total), estimated: true };
}
