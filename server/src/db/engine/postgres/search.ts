// Search on PostgreSQL: `contact_search` (postgres/migrations/002) holds each contact's words as a tsvector
// (unaccented, lower-cased alphanumeric runs, like SQLite's unicode61 tokenizer; GIN index, prefix queries) and its
// phone numbers as digits (pg_trgm GIN index, substring matches), both kept by triggers.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, SearchIndex, SearchTerms } from '../types.js';

interface PgTerms extends SearchTerms {
  /** Word tokens (matched as prefixes, all of them). */
  words: string;
  /** Digit tokens: each matches a word prefix or a substring of a phone number's digits (any of `variants`). */
  numbers: { variants: string[] }[];
}

const MAX_TOKENS = 12;
/** Digits a phone substring needs before it is worth the trigram index (it needs 3 for a trigram). */
const MIN_DIGITS = 3;
/** A national number dialled with a trunk prefix (020 7946 0958 for +44 20 7946 0958): also try it without the 0. */
const trunkVariants = (digits: string) => (digits.length >= 7 && digits.startsWith('0') ? [digits, digits.slice(1)] : [digits]);

function parse(q: string): PgTerms | null {
  const digits = q.replace(/\D/g, '');
  // Same test as SQLite's (engine/sqlite/search.ts): "+1 (415) 555-0100" is one number.
  if (/^[\s\d()+.\-/]+$/.test(q) && digits.length >= MIN_DIGITS) return { key: `#${digits}`, words: '', numbers: [{ variants: trunkVariants(digits) }] };
  const tokens = (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TOKENS);
  if (!tokens.length) return null;
  const numeric = tokens.filter((t) => /^\d+$/.test(t) && t.length >= MIN_DIGITS);
  const words = tokens.filter((t) => !numeric.includes(t)).join(' ');
  return { key: tokens.join(' '), words, numbers: numeric.map((t) => ({ variants: [t] })) };
}

const likeDigits = (digits: string) => `%${digits}%`;

/** The rows of contact_search (alias s) that match, in the caller's workspace. */
function matching(terms: PgTerms, workspaceId: string): RawBuilder<SqlBool> {
  const conds: RawBuilder<SqlBool>[] = [sql<SqlBool>`s.workspace_id = ${workspaceId}`];
  if (terms.words) conds.push(sql<SqlBool>`s.words @@ dossier_search_query(${terms.words})`);
  for (const { variants } of terms.numbers) {
    const phone = variants.map((d) => sql<SqlBool>`s.phones LIKE ${likeDigits(d)}`);
    conds.push(sql<SqlBool>`(s.words @@ dossier_search_query(${variants[0]!}) OR ${sql.join(phone, sql` OR `)})`);
  }
  return sql<SqlBool>`${sql.join(conds, sql` AND `)}`;
}

const hitIds = (terms: SearchTerms, workspaceId: string, limit?: number) =>
  sql`SELECT s.contact_id FROM contact_search s WHERE ${matching(terms as PgTerms, workspaceId)}${limit === undefined ? sql`` : sql` LIMIT ${limit}`}`;

/** Pages of contact_search an estimate reads (~30 rows each). */
const SAMPLE_PAGES = 300;

async function countHits(db: Db, workspaceId: string, terms: SearchTerms, limit?: number) {
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (${hitIds(terms, workspaceId, limit)}) AS hits`.execute(db)).rows[0]!.n);
}

export const postgresSearch: SearchIndex = {
  parse,
  countHits,
  /**
   * Counting means visiting every hit's row (the index needs its recheck), so many hits are estimated from a fixed
   * page sample of the table instead — right however stale the planner's statistics are; a small estimate is
   * then counted exactly (up to `cap`).
   */
  async estimateHits(db, workspaceId, terms, cap) {
    const { pages, rows } = (await sql<{ pages: number; rows: number }>`SELECT greatest(1, pg_relation_size('contact_search') / current_setting('block_size')::int) AS pages,
      (SELECT reltuples FROM pg_class WHERE oid = 'contact_search'::regclass) / greatest(1, (SELECT relpages FROM pg_class WHERE oid = 'contact_search'::regclass)) AS rows`.execute(db)).rows[0]!;
    const percent = Math.min(100, (100 * SAMPLE_PAGES) / Number(pages));
    const sample = (await sql<{ hits: number; seen: number }>`SELECT count(*) FILTER (WHERE ${matching(terms as PgTerms, workspaceId)}) AS hits, count(*) AS seen
      FROM contact_search s TABLESAMPLE SYSTEM (${sql.lit(percent)}) REPEATABLE (7)`.execute(db)).rows[0]!;
    const hits = Number(sample.hits);
    // The whole table was read: that is the count. Else scale the share of hits by the table's rows (pages now
    // times rows a page at the last ANALYZE, or the sample's own density before one).
    const density = Number(rows) > 0 ? Number(rows) : Number(sample.seen) / Math.max(1, (Number(pages) * percent) / 100);
    const estimate = percent >= 100 ? hits : Math.round((hits / Math.max(1, Number(sample.seen))) * density * Number(pages));
    return cap !== undefined && estimate <= cap ? countHits(db, workspaceId, terms, cap + 1) : estimate;
  },
  // Few hits: collect them first (an array the outer query looks up by primary key, then sorts); the planner left
  // to itself may walk the sort index for a page of rare hits when its statistics guess more. Many: walk the sort
  // index and test each row, so the first page stops early (the planner's choice as well).
  matches: (terms, workspaceId, few) =>
    few ? sql<SqlBool>`contacts.id = ANY(ARRAY(${hitIds(terms, workspaceId)}))` : sql<SqlBool>`contacts.id IN (${hitIds(terms, workspaceId)})`,
  amongFirstHits: (terms, workspaceId, n) => sql<SqlBool>`contacts.id IN (${hitIds(terms, workspaceId, n)})`,
};
