// The contacts of several workspaces as one list (an organization session: routes/org.ts). Nothing new decides what a
// member sees: each workspace's query is compiled for that workspace's member (role, restriction, teams) by
// compileContactQuery and paged by keyset (contact-paging.ts); this module only merges the pages by the sort key
// and keeps one position per workspace in the cursor, so paging is exact and stable however the workspaces change.
import type { Db } from '../db/connection.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { badRequest } from '../http/errors.js';
import type { MemberCaller } from '../http/org-auth.js';
import { countMatches } from './contact-count.js';
import { invalidFilter } from './contact-filter-fields.js';
import { keyedRows, parsePageCursor, type PageCursor } from './contact-paging.js';
import { compileContactQuery, DEFAULT_SORT, type FilterNode, type SortInput } from './contact-query.js';
import type { SortKey } from './contact-segments.js';
import { loadContacts, type ContactJson } from './contacts.js';

export interface OrgContactQuery {
  q?: string;
  filter?: FilterNode;
  sort?: SortInput;
  limit: number;
  cursor?: string;
  count?: boolean | 'exact';
}

export type OrgContactJson = ContactJson & { workspaceId: string; workspaceName: string };

export interface OrgContactPage {
  items: OrgContactJson[];
  nextCursor: string | null;
  count: number | null;
  estimated: boolean;
}

/** The cursor: the sort, and per workspace the last row already given (absent: nothing given yet). */
interface OrgCursor {
  s: string;
  d: 'asc' | 'desc';
  w: Record<string, [SortKey, string]>;
}
const isOrgCursor = (v: unknown): v is OrgCursor => {
  const c = v as OrgCursor;
  return typeof c === 'object' && c !== null && typeof c.s === 'string' && (c.d === 'asc' || c.d === 'desc') && typeof c.w === 'object' && c.w !== null &&
    Object.values(c.w).every((p) => Array.isArray(p) && p.length === 2 && (typeof p[0] === 'number' || typeof p[0] === 'string') && typeof p[1] === 'string');
};

/** Custom fields differ between workspaces: only the built-in fields and sorts mean the same everywhere. */
function assertCommonFields(node: FilterNode | undefined, path: string): void {
  if (!node) return;
  if ('and' in node) return node.and.forEach((n, i) => assertCommonFields(n, `${path}.and[${i}]`));
  if ('or' in node) return node.or.forEach((n, i) => assertCommonFields(n, `${path}.or[${i}]`));
  if (node.field.startsWith('custom.')) throw invalidFilter(`${path}.field`, `Custom fields differ between workspaces; "${node.field}" cannot filter an organization's contacts.`);
}

/** Byte order, as both engines order the text sort keys and ids (SQLite BINARY, PostgreSQL COLLATE "C"). */
const compareKeys = (a: SortKey, b: SortKey) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));

/**
 * One page of the members' contacts across their workspaces, in sort order; rows with the same sort key by workspace
 * id, then contact id (all in the sort's direction, as each workspace orders its own ties by id). The count is the
 * sum of the workspaces' counts, estimated when any of them is.
 */
export async function queryOrgContacts(db: Db, members: MemberCaller[], input: OrgContactQuery, now: number): Promise<OrgContactPage> {
  assertCommonFields(input.filter, 'filter');
  const sort = input.sort ?? DEFAULT_SORT;
  if (sort.field.startsWith('custom.')) throw invalidFilter('sort.field', `Custom fields differ between workspaces; cannot sort an organization's contacts by "${sort.field}".`);
  const cursor = decodeCursor(input.cursor, isOrgCursor);
  if (cursor && (cursor.s !== sort.field || cursor.d !== sort.dir)) throw badRequest('The cursor belongs to a different sort; start again without one.', { field: 'cursor' });
  const wantCount = input.count ?? !cursor;

  const perWorkspace = await Promise.all(
    members.map(async (caller) => {
      const compiled = await compileContactQuery(db, caller, { q: input.q, filter: input.filter, sort }, now);
      const at = cursor?.w[caller.workspace.id];
      const from: PageCursor | undefined = at && parsePageCursor(compiled, encodeCursor({ s: sort.field, d: sort.dir, v: at[0], id: at[1] }));
      const rows = await keyedRows(compiled, input.limit + 1, from);
      return { caller, compiled, from, rows };
    }),
  );

  const sign = sort.dir === 'asc' ? 1 : -1;
  const merged = perWorkspace
    .flatMap(({ caller, rows }) => rows.map((row) => ({ ...row, workspace: caller.workspace })))
    .sort((a, b) => sign * (compareKeys(a.key, b.key) || compareKeys(a.workspace.id, b.workspace.id) || compareKeys(a.id, b.id)));
  const page = merged.slice(0, input.limit);

  // Positions of the workspaces still in the session; a workspace that gave rows moves to its last one.
  const positions: OrgCursor['w'] = {};
  for (const { caller, from } of perWorkspace) if (from) positions[caller.workspace.id] = [from.v, from.id];
  for (const row of page) positions[row.workspace.id] = [row.key, row.id];
  const nextCursor = merged.length > input.limit ? encodeCursor({ s: sort.field, d: sort.dir, w: positions } satisfies OrgCursor) : null;

  let count: number | null = null;
  let estimated = false;
  if (wantCount) {
    const counts = await Promise.all(
      perWorkspace.map(({ compiled, from, rows }) =>
        // A workspace whose first rows did not fill a page has been counted already.
        !from && rows.length <= input.limit ? { count: rows.length, estimated: false } : countMatches(db, compiled, { exact: input.count === 'exact', stale: true }),
      ),
    );
    count = counts.reduce((sum, c) => sum + c.count, 0);
    estimated = counts.some((c) => c.estimated);
  }

  const loaded = new Map<string, ContactJson>();
  await Promise.all(
    perWorkspace.map(async ({ caller }) => {
      const ids = page.filter((row) => row.workspace.id === caller.workspace.id).map((row) => row.id);
      for (const contact of await loadContacts(db, caller.workspace.id, ids)) loaded.set(contact.id, contact);
    }),
  );
  const items = page.flatMap((row) => {
    const contact = loaded.get(row.id);
    return contact ? [{ ...contact, workspaceId: row.workspace.id, workspaceName: row.workspace.name }] : [];
  });
  return { items, nextCursor, count, estimated };
}
