// SQLite's spelling of text comparisons, JSON access and the count sample (JSON is stored as text).
import { sql, type SqlBool } from 'kysely';
import type { Counters, JsonAccess, Sampling, TextOps } from '../types.js';

export const sqliteText: TextOps = {
  equalsCaseless: (expr, value) => sql<SqlBool>`${expr} = ${value} COLLATE NOCASE`,
  // SQLite's LIKE ignores the case of ASCII letters.
  like: (expr, pattern) => sql<SqlBool>`${expr} LIKE ${pattern} ESCAPE '\\'`,
  // The index is (…, key COLLATE NOCASE, …): order by that collation, and give the bound the same one.
  caselessSort: (key) => ({ order: sql`${key} COLLATE NOCASE`, compared: key, bound: (value) => sql`${value} COLLATE NOCASE` }),
  unindexed: (expr) => sql`+${expr}`,
  least: (a, b) => sql<number>`min(${a}, ${b})`,
  greatest: (a, b) => sql<number>`max(${a}, ${b})`,
  joined: (expr, separator, order) => sql<string | null>`group_concat(${expr}, ${separator} ORDER BY ${order})`,
  insertOrder: (alias) => sql<number>`${sql.ref(alias)}.rowid`,
};

/** `$.a.b` for ["a", "b"]; keys that are not plain identifiers are quoted. */
const jsonPath = (path: string[]) => `$${path.map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `.${JSON.stringify(k)}`)).join('')}`;
const ref = (column: string | ReturnType<typeof sql>) => (typeof column === 'string' ? sql.ref(column) : column);

export const sqliteJson: JsonAccess = {
  // The path as a literal, so an index on the same expression (activities_external) serves the comparison.
  text: (column, path) => sql`json_extract(${ref(column)}, ${sql.lit(jsonPath(path))})`,
  eachText: (column, alias) => sql`json_each(${ref(column)}) AS ${sql.ref(alias)}`,
  // One json_extract call (one row read and JSON parse): with two or more paths it answers a JSON array; json_array
  // wraps a single one.
  cells: (paths) =>
    paths.length > 1
      ? sql`json_extract(contacts.cells, ${sql.join(paths.map((p) => sql.lit(jsonPath(p))))})`
      : sql`json_array(contacts.cells -> ${sql.lit(jsonPath(paths[0]!))})`,
  // json_group_array keeps the order the subquery's rows come in.
  rowsOf: (rows, columns) =>
    sql<string>`(SELECT coalesce(json_group_array(json_array(${sql.join(columns.map((c) => sql.ref(`agg.${c}`)))})), '[]') FROM (${rows}) AS agg)`,
};

const SAMPLE_RANGES = 200;
const SAMPLE_SPAN = 10;

export const sqliteSampling: Sampling = {
  /** SAMPLE_RANGES rowid ranges spread over the table, so the cost stays flat whatever the filter. */
  async matchRate(db, workspaceId, matching) {
    // Two subqueries: SQLite answers a lone min() or max() from the end of the rowid b-tree, both together by a scan.
    const bounds = (await sql<{ lo: number; hi: number }>`SELECT (SELECT min(rowid) FROM contacts) AS lo, (SELECT max(rowid) FROM contacts) AS hi`.execute(db)).rows[0]!;
    const lo = Number(bounds.lo);
    const step = Math.max(SAMPLE_SPAN, Math.floor((Number(bounds.hi) - lo) / SAMPLE_RANGES));
    const ranges = Array.from({ length: SAMPLE_RANGES }, (_, i) => sql`rowid BETWEEN ${lo + i * step} AND ${lo + i * step + SAMPLE_SPAN - 1}`);
    const sample = await db
      .selectFrom('contacts')
      .select(sql<number>`rowid`.as('r'))
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .where(sql<SqlBool>`(${sql.join(ranges, sql` OR `)})`)
      .execute();
    if (!sample.length) return { sampled: 0, matched: 0 };
    // Driven from the sample: each sampled rowid is tested with an EXISTS keyed on rowid = s.value, so SQLite cannot
    // prefer scanning a million-row index that the filter happens to mention.
    const probe = matching().select(sql.lit(1).as('one')).where(sql<SqlBool>`contacts.rowid = s.value`);
    const hits = await sql<{ n: number }>`SELECT count(*) AS n FROM json_each(${JSON.stringify(sample.map((r) => r.r))}) AS s WHERE EXISTS ${probe}`.execute(db);
    return { sampled: sample.length, matched: Number(hits.rows[0]!.n) };
  },
};

/** Triggers keep both on the workspace's row (migration 005). */
export const sqliteCounters: Counters = {
  async read(db, workspaceId) {
    const row = await db.selectFrom('workspaces').select(['contacts_version', 'live_contacts']).where('id', '=', workspaceId).executeTakeFirst();
    return { version: Number(row?.contacts_version ?? 0), total: Number(row?.live_contacts ?? 0) };
  },
};
