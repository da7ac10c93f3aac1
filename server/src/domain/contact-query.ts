// The one compiler from { q, filter, sort } to a Kysely query over the caller's visible contacts and the
// segments of its order (contact-segments.ts); contact-paging.ts pages them, contact-count.ts counts. Routes
// (query, count, bulk, export) all go through here so they agree on what "matching" means and in what order.
import { expressionBuilder, sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { engineOf, type SearchTerms } from '../db/engine/index.js';
import type { CustomFieldRow, Database } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { invalidFilter, resolveField, type Cond, type FilterCtx } from './contact-filter-fields.js';
import { visibleTo } from './contacts.js';
import { builtinSegment, customSegments, type Segment } from './contact-segments.js';
import { teamIdsOf } from './teams.js';

export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { field: string; op: string; value?: unknown };

/** Deepest nesting (groups inside the top node) and most nodes (groups and conditions) a filter tree may have. */
export const FILTER_MAX_DEPTH = 6;
export const FILTER_MAX_NODES = 200;

const filterNodeSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(filterNodeSchema).max(100) }).strict(),
    z.object({ or: z.array(filterNodeSchema).max(100) }).strict(),
    z.object({ field: z.string().min(1).max(100), op: z.string().min(1).max(40), value: z.unknown().optional() }).strict(),
  ]),
);

/** Depth and node count of a raw tree, walked without recursion and given up on as soon as either limit is passed. */
function treeTooBig(root: unknown): string | null {
  const stack: [unknown, number][] = [[root, 0]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (++nodes > FILTER_MAX_NODES) return `A filter can have at most ${FILTER_MAX_NODES} groups and conditions.`;
    if (depth > FILTER_MAX_DEPTH) return `Filters nest at most ${FILTER_MAX_DEPTH} levels deep.`;
    if (node === null || typeof node !== 'object') continue;
    for (const key of ['and', 'or'] as const) {
      const list = (node as Record<string, unknown>)[key];
      if (Array.isArray(list)) for (const child of list) stack.push([child, depth + 1]);
    }
  }
  return null;
}

/**
 * Shape only; fields, operators and values are checked by the compiler, which knows the workspace's custom fields.
 * Depth and size are checked first, iteratively: the shape check itself recurses, so a 10,000-deep tree must never
 * reach it.
 */
export const filterSchema: z.ZodType<FilterNode> = z.preprocess((value, ctx) => {
  const tooBig = treeTooBig(value);
  if (!tooBig) return value;
  ctx.addIssue({ code: 'custom', message: tooBig, params: { maxDepth: FILTER_MAX_DEPTH, maxNodes: FILTER_MAX_NODES } });
  return z.NEVER;
}, filterNodeSchema) as unknown as z.ZodType<FilterNode>;

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

function compileNode(node: FilterNode, path: string, depth: number, ctx: Omit<FilterCtx, 'path'>, fields: Map<string, CustomFieldRow>, budget: { nodes: number }): Cond {
  if (++budget.nodes > FILTER_MAX_NODES) throw invalidFilter(path, `A filter can have at most ${FILTER_MAX_NODES} groups and conditions.`);
  if (depth > FILTER_MAX_DEPTH) throw invalidFilter(path, `Filters nest at most ${FILTER_MAX_DEPTH} levels deep.`);
  if ('and' in node || 'or' in node) {
    const [key, list] = 'and' in node ? (['and', node.and] as const) : (['or', node.or] as const);
    if (list.length === 0) return key === 'and' ? sql<SqlBool>`TRUE` : sql<SqlBool>`FALSE`;
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
  /** The type of the sort key (custom sorts: of the value segment). */
  kind: 'number' | 'text';
  /** A built-in number sort (timestamps, counts): its keys are integers (a cursor's key must be one too). */
  integralKey: boolean;
  segments: Segment[];
  workspaceId: string;
  deleted: boolean;
  /** Anything beyond "every live contact of the workspace": search, filter or a member restricted to assigned. */
  narrowed: boolean;
  /** A search with at most FEW_HITS index hits: counting exactly costs at most that many lookups. */
  fewHits: boolean;
  /** What `q` means to the engine's search index, if anything. */
  match: SearchTerms | null;
  /** Identifies what matches (not the order): the key of cached counts. */
  matchKey: string;
}

/** The workspace's custom fields by key (the compiler's and the export's column catalogue). */
export async function customFieldsOf(db: Db, workspaceId: string) {
  const rows = await db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).execute();
  return new Map(rows.map((f) => [f.key, f]));
}

/** Whether a filter tree has a condition on `field` anywhere. */
const mentions = (node: FilterNode | undefined, field: string): boolean =>
  !node ? false : 'and' in node ? node.and.some((n) => mentions(n, field)) : 'or' in node ? node.or.some((n) => mentions(n, field)) : node.field === field;

/** Validates and compiles; bad fields, operators or values answer 400 `invalid_filter` with `details.path`. */
export async function compileContactQuery(db: Db, caller: Caller, input: ContactQueryInput, now: number): Promise<CompiledQuery> {
  const fields = await customFieldsOf(db, caller.workspace.id);
  const sort = input.sort ?? DEFAULT_SORT;
  const sorted = resolveSort(sort, fields);
  const engine = engineOf(db);
  // "My team": the same filter matches different contacts for members of different teams.
  const myTeams = caller.kind === 'member' && mentions(input.filter, 'team') ? await teamIdsOf(db, caller.member.id) : null;
  const ctx = { now, region: caller.workspace.defaultRegion, workspaceId: caller.workspace.id, engine, myTeams: myTeams ?? [] };
  const filter = input.filter ? compileNode(input.filter, 'filter', 0, ctx, fields, { nodes: 0 }) : null;
  const match = input.q ? engine.search.parse(input.q) : null;
  const deleted = input.deleted === true;
  // Few search hits: drive the query from them. Many: walk the sort index and test each row, so a first page
  // stops early (engine.search.matches).
  const fewHits = Boolean(match) && (await engine.search.estimateHits(db, caller.workspace.id, match!, FEW_HITS)) <= FEW_HITS;
  const conds: Expression<SqlBool>[] = [
    visibleTo(caller)(expressionBuilder<Database, 'contacts'>()),
    deleted ? sql<SqlBool>`contacts.deleted_at IS NOT NULL AND contacts.merged_into_id IS NULL` : sql<SqlBool>`contacts.deleted_at IS NULL`,
    ...(match ? [engine.search.matches(match, caller.workspace.id, fewHits)] : []),
    ...(filter ? [filter] : []),
  ];
  const base = () => conds.reduce((query, cond) => query.where(cond), db.selectFrom('contacts'));
  const restricted = caller.kind === 'member' && caller.member.restrict_to_assigned;
  const narrowed = Boolean(match || filter || restricted);
  return {
    sort,
    kind: 'kind' in sorted ? sorted.kind : ['number', 'date', 'checkbox'].includes(sorted.type) ? 'number' : 'text',
    integralKey: 'kind' in sorted && sorted.kind === 'number',
    segments: 'kind' in sorted ? [builtinSegment(db, base, sorted.expr)] : customSegments(db, { base, conds, field: sorted, fewHits, plain: !narrowed && !deleted, workspaceId: caller.workspace.id }),
    workspaceId: caller.workspace.id,
    deleted,
    narrowed,
    fewHits,
    match,
    matchKey: JSON.stringify([caller.workspace.id, restricted ? caller.member.id : null, deleted, match?.key ?? null, input.filter ?? null, myTeams]),
    base,
  };
}
