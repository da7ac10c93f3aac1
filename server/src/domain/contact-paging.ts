// Pages of a compiled contact query: forward from a cursor, backward before one, or from a row position. All of
// them walk the query's segments by keyset, so every way in agrees on the order and pages never overlap or skip.
import type { RawBuilder } from 'kysely';
import type { Db } from '../db/connection.js';
import type { OrderedQuery } from '../db/engine/index.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { badRequest } from '../http/errors.js';
import { countersOf } from './contact-count.js';
import type { CompiledQuery } from './contact-query.js';
import { seekStep, type KeyedRow, type SortKey } from './contact-segments.js';

/** The last (or first) row of a page. `p` is the segment when not the first (custom sorts: 1 = no value). */
export interface PageCursor {
  s: string;
  d: 'asc' | 'desc';
  v: SortKey;
  id: string;
  p?: number;
}
const isPageCursor = (v: unknown): v is PageCursor => {
  const c = v as PageCursor;
  return typeof c === 'object' && c !== null && typeof c.s === 'string' && (c.d === 'asc' || c.d === 'desc') &&
    (typeof c.v === 'number' || typeof c.v === 'string') && typeof c.id === 'string' && (c.p === undefined || Number.isInteger(c.p));
};

export function parsePageCursor(q: CompiledQuery, raw: string | undefined, field = 'cursor'): PageCursor | undefined {
  // A custom number field sorts by its (possibly fractional) value; every built-in number sort is an integer column.
  const cursor = decodeCursor(raw, isPageCursor, field, { fractional: true });
  if (!cursor) return undefined;
  const segment = cursor.p ?? 0;
  const integral = q.integralKey ? Number.isSafeInteger(cursor.v) : true;
  const keyOk = segment > 0 || (typeof cursor.v === (q.kind === 'number' ? 'number' : 'string') && integral);
  if (cursor.s !== q.sort.field || cursor.d !== q.sort.dir || segment < 0 || segment >= q.segments.length || !keyOk) {
    throw badRequest('The cursor belongs to a different sort; start again without one.', { field });
  }
  return cursor;
}

interface Placed extends KeyedRow {
  segment: number;
}

export interface Page {
  ids: string[];
  /** After the last row; null when nothing follows. */
  nextCursor: string | null;
  /** At the first row (usable as `before`); null on an empty page. */
  prevCursor: string | null;
  next: PageCursor | null;
}

const cursorOf = (q: CompiledQuery, row: Placed): PageCursor => ({
  s: q.sort.field, d: q.sort.dir, v: row.sort_key, id: row.id, ...(row.segment ? { p: row.segment } : {}),
});

function toPage(q: CompiledQuery, rows: Placed[], more: boolean): Page {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const next = more && last ? cursorOf(q, last) : null;
  return { ids: rows.map((r) => r.id), next, nextCursor: next ? encodeCursor(next) : null, prevCursor: first ? encodeCursor(cursorOf(q, first)) : null };
}

/** Up to `want` rows from `cursor` (or the top) on, crossing into later segments (earlier ones, walking backward). */
async function walk(q: CompiledQuery, cursor: PageCursor | undefined, want: number, backward: boolean): Promise<Placed[]> {
  const dir = backward ? (q.sort.dir === 'asc' ? 'desc' : 'asc') : q.sort.dir;
  const rows: Placed[] = [];
  const start = cursor?.p ?? 0;
  for (let segment = start; segment >= 0 && segment < q.segments.length && rows.length < want; segment += backward ? -1 : 1) {
    const from = cursor && segment === start ? { v: cursor.v, id: cursor.id } : undefined;
    const got = await q.segments[segment]!.rows(dir, { from, limit: want - rows.length });
    rows.push(...got.map((r) => ({ ...r, segment })));
  }
  return rows;
}

/** One keyset page of ids in sort order, after `cursor`. */
export async function pageIds(q: CompiledQuery, limit: number, cursor: PageCursor | undefined): Promise<Page> {
  const rows = await walk(q, cursor, limit + 1, false);
  return toPage(q, rows.slice(0, limit), rows.length > limit);
}

/** The `limit` rows just before the cursor's row, in display order. */
export async function pageBefore(q: CompiledQuery, limit: number, cursor: PageCursor): Promise<Page> {
  const rows = (await walk(q, cursor, limit, true)).reverse();
  // The cursor's own row (or its place, if it went away meanwhile) follows, so the page continues from its last row.
  return toPage(q, rows, true);
}

/** The row `skip` rows after `cursor` (0: the next one; no cursor: from the top), or null past the end. */
async function rowAfter(q: CompiledQuery, cursor: PageCursor | undefined, skip: number): Promise<PageCursor | null> {
  const start = cursor?.p ?? 0;
  for (let segment = start; segment < q.segments.length; segment++) {
    const from = cursor && segment === start ? { v: cursor.v, id: cursor.id } : undefined;
    const [row] = await q.segments[segment]!.rows(q.sort.dir, { from, limit: 1, offset: skip });
    if (row) return cursorOf(q, { ...row, segment });
    if (segment + 1 < q.segments.length) skip -= await q.segments[segment]!.count(q.sort.dir, from);
  }
  return null;
}

/** Seeks remember every seekStep-th row per (query, sort), so the next seek walks at most that far. */
const DEFAULT_STEP = seekStep.rows;
/** Tests use a small step to exercise the marks on a small table (no argument: back to the default). */
export function setSeekStep(rows = DEFAULT_STEP): void {
  seekStep.rows = rows;
  marks.clear();
}
const MARKS_MS = 60_000;
const MARK_LISTS = 200;
const marks = new Map<string, { version: number; at: number; rows: PageCursor[] }>();

function marksOf(key: string, version: number) {
  const hit = marks.get(key);
  if (hit && hit.version === version && Date.now() - hit.at < MARKS_MS) return hit.rows;
  marks.delete(key);
  if (marks.size >= MARK_LISTS) marks.delete(marks.keys().next().value!);
  const fresh = { version, at: Date.now(), rows: [] };
  marks.set(key, fresh);
  return fresh.rows;
}

/**
 * The page starting at row `offset` (0-based): skips along the sort index to the row just before it, then pages by
 * keyset from there. Without search or filter the skip reads the index alone (built-in sorts, a custom sort's
 * values); a custom sort's contacts without a value cost a lookup each, and a filter a test per row.
 * The rows passed on the way are remembered (every seekStep.rows-th) until the workspace's contacts change, so the
 * next seek walks at most seekStep.rows rows.
 */
export async function pageAt(db: Db, q: CompiledQuery, limit: number, offset: number): Promise<Page> {
  if (offset === 0) return pageIds(q, limit, undefined);
  const target = offset - 1;
  const { version } = await countersOf(db, q.workspaceId);
  // rows[i] is the row at position (i + 1) * seekStep.rows - 1.
  const rows = marksOf(`${q.matchKey}|${q.sort.field}|${q.sort.dir}`, version);
  const known = Math.min(rows.length, Math.floor(offset / seekStep.rows));
  let position = known * seekStep.rows - 1;
  let cursor: PageCursor | null | undefined = known ? rows[known - 1] : undefined;
  while (cursor !== null && target - position >= seekStep.rows) {
    cursor = await rowAfter(q, cursor, seekStep.rows - 1);
    position += seekStep.rows;
    if (cursor && rows.length === Math.floor(position / seekStep.rows)) rows.push(cursor);
  }
  if (cursor !== null && position < target) cursor = await rowAfter(q, cursor, target - position - 1);
  return cursor === null ? toPage(q, [], false) : pageIds(q, limit, cursor);
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

/**
 * Every match in display order with extra expressions selected (export: a CSV row's values), as one ordered
 * query per segment continuing after a given row: each walks the segment's sort index and reads the rows it passes
 * (one read a row, in storage order when the sort follows it). The engine streams them (engine.streaming).
 */
export function orderedQueries(q: CompiledQuery, select: RawBuilder<unknown>[]): OrderedQuery[] {
  return q.segments.map((segment) => (from) => segment.ordered(q.sort.dir, from, select));
}

/** Up to `limit` rows after `cursor` in sort order with their sort keys and cursors (to merge several workspaces' pages: org-contacts.ts). */
export async function keyedRows(q: CompiledQuery, limit: number, cursor: PageCursor | undefined): Promise<{ id: string; key: SortKey; cursor: PageCursor }[]> {
  return (await walk(q, cursor, limit, false)).map((row) => ({ id: row.id, key: row.sort_key, cursor: cursorOf(q, row) }));
}
