// Search on SQLite: the contentless FTS5 index `contacts_fts` keyed by contacts.rowid (migration 002), kept by
// triggers; phone numbers are indexed as digit variants (search-functions.ts).
import { sql, type SqlBool } from 'kysely';
import type { Db, SearchIndex, SearchTerms } from '../types.js';

interface Fts5Terms extends SearchTerms {
  match: string;
}

/** Tokens AND-ed, each a prefix. A phone-looking query ("+1 (415) 555-0100") becomes one digits token. */
export function ftsQuery(q: string): string | null {
  const digits = q.replace(/\D/g, '');
  if (/^[\s\d()+.\-/]+$/.test(q) && digits.length >= 3) return `"${digits}"*`;
  const tokens = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.length ? tokens.slice(0, 12).map((t) => `"${t}"*`).join(' AND ') : null;
}

const matchOf = (terms: SearchTerms) => (terms as Fts5Terms).match;
const hitSet = (terms: SearchTerms) => sql`(SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${matchOf(terms)})`;

async function countHits(db: Db, terms: SearchTerms, limit?: number) {
  const hits = sql`SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${matchOf(terms)}${limit === undefined ? sql`` : sql` LIMIT ${limit}`}`;
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (${hits})`.execute(db)).rows[0]!.n);
}

export const sqliteSearch: SearchIndex = {
  parse(q) {
    const match = ftsQuery(q);
    return match ? ({ key: match, match } satisfies Fts5Terms) : null;
  },
  countHits: (db, _workspaceId, terms, limit) => countHits(db, terms, limit),
  // Counting FTS5 hits reads the index alone: cheap enough to be exact.
  estimateHits: (db, _workspaceId, terms, cap) => countHits(db, terms, cap === undefined ? undefined : cap + 1),
  // Few hits: look them up by rowid and sort them. Many: walk the sort index and test each entry against the hit
  // set (the unary + stops SQLite from choosing the rowid lookups), so the first page stops early.
  matches: (terms, _workspaceId, few) => (few ? sql<SqlBool>`contacts.rowid IN ${hitSet(terms)}` : sql<SqlBool>`+contacts.rowid IN ${hitSet(terms)}`),
  amongFirstHits: (terms, _workspaceId, n) => sql<SqlBool>`contacts.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${matchOf(terms)} LIMIT ${n})`,
};
