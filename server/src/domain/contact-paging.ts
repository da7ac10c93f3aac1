// Pages of a compiled contact query: forward from a cursor, backward before one, or from a row position. All of
// them walk the query's segments by keyset, so every way in agrees on the order and pages never overlap or skip.
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { badRequest } from '../http/errors.js';
import type { CompiledQuery } from './contact-query.js';
import type { KeyedRow, SortKey } from './contact-segments.js';

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
  const cursor = decodeCursor(raw, isPageCursor, field);
  if (!cursor) return undefined;
  const segment = cursor.p ?? 0;
  const keyOk = segment > 0 || typeof cursor.v === (q.kind === 'number' ? 'number' : 'string');
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

/** Up to `want` rows from `cursor` on, crossing into later segments (or earlier ones, walking backward). */
async function walk(q: CompiledQuery, cursor: PageCursor | undefined, want: number, backward: boolean): Promise<Placed[]> {
  const dir = backward ? (q.sort.dir === 'asc' ? 'desc' : 'asc') : q.sort.dir;
  const rows: Placed[] = [];
  const start = cursor ? (cursor.p ?? 0) : backward ? q.segments.length - 1 : 0;
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

/**
 * The page starting at row `offset` (0-based): finds the row just before it by skipping along a segment's index
 * (index-only for the plain sorts when nothing narrows the query), then pages by keyset from there.
 */
export async function pageAt(q: CompiledQuery, limit: number, offset: number): Promise<Page> {
  if (offset === 0) return pageIds(q, limit, undefined);
  let skip = offset - 1;
  for (let segment = 0; segment < q.segments.length; segment++) {
    const [row] = await q.segments[segment]!.rows(q.sort.dir, { limit: 1, offset: skip });
    if (row) return pageIds(q, limit, cursorOf(q, { ...row, segment }));
    if (segment < q.segments.length - 1) skip -= await q.segments[segment]!.count();
  }
  return toPage(q, [], false);
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
